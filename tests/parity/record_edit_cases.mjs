// The whole-record check's parity table: asset and software bodies, new or
// changed, valid and invalid, including bytes that are not UTF-8. The
// native check and the WebAssembly module must answer each identically.

const VOCABULARY = { locations: [1, 2], groups: [10], agents: [100] };
const utf8 = (s) => Buffer.from(s, 'utf8');
const long = (n, c = 'x') => c.repeat(n);

const ASSETS = [
  ['whole new asset', '{"name":"Dell 7440","asset_tag":"LT-1","type":"Laptop","serial_number":"SN1","status":"in_stock","impact":"high","location_id":1,"managed_by_group_id":10,"managed_by_agent_id":100,"notes":"a\\nb"}', true],
  ['trimmed text', '{"name":"  Dell ","asset_tag":"\\tLT-2\\n"}', true],
  ['retired on arrival', '{"name":"Old","asset_tag":"LT-3","status":"retired"}', true],
  ['no name', '{"asset_tag":"LT-4"}', true],
  ['no tag', '{"name":"x"}', true],
  ['blank tag', '{"name":"x","asset_tag":"   "}', true],
  ['blank name in an edit', '{"name":""}', false],
  ['empty edit', '{}', false],
  ['name with a line break', '{"name":"a\\nb"}', false],
  ['name with a bell', '{"name":"a\\u0007b"}', false],
  ['notes with a tab', '{"notes":"a\\tb"}', false],
  ['notes with DEL', '{"notes":"a\\u007fb"}', false],
  ['tag of 64', `{"asset_tag":"${long(64)}"}`, false],
  ['tag of 65', `{"asset_tag":"${long(65)}"}`, false],
  ['tag of 64 two-byte letters', `{"asset_tag":"${long(64, 'é')}"}`, false],
  ['name of 201', `{"name":"${long(201)}"}`, false],
  ['notes of 10000', `{"notes":"${long(10000)}"}`, false],
  ['notes of 10001', `{"notes":"${long(10001)}"}`, false],
  ['status lost', '{"status":"lost"}', false],
  ['status number', '{"status":1}', false],
  ['status in_use', '{"status":"in_use"}', false],
  ['serial a number', '{"serial_number":5}', false],
  ['a software field', '{"publisher":"x"}', false],
  ['a software field, new', '{"name":"x","asset_tag":"t","licence_count":1}', true],
  ['impact urgent', '{"impact":"urgent"}', false],
  ['unknown location', '{"location_id":3}', false],
  ['only list fields', '{"impact":"low","managed_by_group_id":null}', false],
  ['not an object', '[1,2]', false],
  ['not JSON', '{"name":', false],
  ['invalid UTF-8 in a name', Buffer.concat([utf8('{"name":"a'), Buffer.from([0xc3, 0x28]), utf8('"}')]), false],
  ['overlong slash', Buffer.concat([utf8('{"name":"'), Buffer.from([0xc0, 0xaf]), utf8('"}')]), false],
];

const SOFTWARE = [
  ['whole new software', '{"name":"Figma","publisher":"Figma, Inc.","version_string":"125.4","licence_count":40,"notes":"site licence"}', true],
  ['name only', '{"name":"Slack"}', true],
  ['no name', '{"publisher":"x"}', true],
  ['licence count 0', '{"licence_count":0}', false],
  ['licence count null', '{"licence_count":null}', false],
  ['licence count max', '{"licence_count":1000000000}', false],
  ['licence count past max', '{"licence_count":1000000001}', false],
  ['licence count -1', '{"licence_count":-1}', false],
  ['licence count 2.5', '{"licence_count":2.5}', false],
  ['licence count text', '{"licence_count":"4"}', false],
  ['licence count 1e3', '{"licence_count":1e3}', false],
  ['an asset field', '{"serial_number":"x"}', false],
  ['status on software', '{"status":"in_use"}', false],
  ['version of 100', `{"version_string":"${long(100)}"}`, false],
  ['version of 101', `{"version_string":"${long(101)}"}`, false],
  ['publisher with CR', '{"publisher":"a\\rb"}', false],
];

export function recordEditCases() {
  const cases = [];
  for (const [kind, list] of [['asset', ASSETS], ['software', SOFTWARE]]) {
    for (const [name, body, creating] of list) {
      cases.push({ name: `${kind}: ${name}`, kind, creating, record: Buffer.isBuffer(body) ? body : utf8(body),
        vocabulary: JSON.stringify(VOCABULARY) });
    }
  }
  return cases;
}
