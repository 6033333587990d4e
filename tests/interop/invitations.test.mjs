// Invitations through a real SMTP server (tests/support/smtp_sink.py): the
// link goes to the invitee by mail and not to the administrator, works
// once, and leads to a password sign-in; a resend mails a new link and the
// old one stops working.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { addUser, apiClient, apiLogin, PASSWORD, startSmtpSink } from '../support/mfa.mjs';
import { startServer } from '../support/server.mjs';

let sink;
let server;
let admin;

before(async () => {
  sink = await startSmtpSink();
  server = await startServer({ args: sink.args });
  addUser(server, { email: 'admin@example.com', name: 'Ada Admin', role: 'Administrator' });
  ({ client: admin } = await apiLogin(server, 'agent', 'admin@example.com'));
});

after(async () => {
  await server?.stop();
  await sink?.stop();
});

function linkIn(message) {
  const match = message.body.match(/(https?:\/\/\S+\/invite\.html#token=[\w-]+)/);
  assert.ok(match, `no invitation link in: ${message.body}`);
  return match[1];
}

const tokenOf = (link) => new URL(link).hash.slice('#token='.length);

test('the invitation link is mailed to the invitee, works once, and a resend replaces it', async () => {
  const invited = await admin.call('POST', '/api/people/invite',
    { portal: 'contact', email: 'cora@customer.example', name: 'Cora Contact' });
  assert.equal(invited.status, 201, JSON.stringify(invited.body));
  assert.equal(invited.body.mailed, true);
  assert.equal(invited.body.link, undefined);  // mailed links go to the invitee only

  const first = await sink.waitForMessage('cora@customer.example');
  assert.match(first.headers, /Subject: You are invited to deskgate/);
  assert.match(first.body, /Hello Cora Contact/);
  const firstLink = linkIn(first);
  assert.ok(firstLink.startsWith(`${server.url}/invite.html#token=`));

  // A resend mails a new link; the first stops working.
  const resent = await admin.call('POST', `/api/people/${invited.body.person.id}/invitation`, {});
  assert.equal(resent.status, 200);
  const secondLink = linkIn(await sink.waitForMessage('cora@customer.example'));
  assert.notEqual(secondLink, firstLink);
  const visitor = apiClient(server);
  assert.equal((await visitor.call('POST', '/api/invitations/lookup', { token: tokenOf(firstLink) })).status, 403);

  const accepted = await visitor.call('POST', '/api/invitations/accept',
    { token: tokenOf(secondLink), password: PASSWORD });
  assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
  assert.equal(accepted.body.portal, 'contact');
  await apiLogin(server, 'contact', 'cora@customer.example');
  const again = await visitor.call('POST', '/api/invitations/accept',
    { token: tokenOf(secondLink), password: 'another long passphrase 9' });
  assert.equal(again.status, 403);
  assert.equal(again.body.code, 'permission_denied');

  // The mail carries no password and the outbox keeps no readable body.
  const outbox = await admin.call('GET', '/api/outbox');
  assert.equal(outbox.status, 200);
  assert.doesNotMatch(JSON.stringify(outbox.body), /token=/);
});
