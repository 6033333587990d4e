// The change-check parity table: change bodies (valid and invalid) and the
// vocabularies they are checked against. The native check and the
// WebAssembly module must answer each with byte-identical JSON.
//
// Changes are raw bytes (Buffers) so the table can hold invalid UTF-8.

const VOCABULARIES = [
  { locations: [1, 2, 3], groups: [10, 20], agents: [100, 200] },
  {},
  { locations: [9007199254740991], groups: [1], agents: [5, 4, 3] },
];

const utf8 = (s) => Buffer.from(s, 'utf8');

const CHANGES = [
  ['impact low', '{"impact":"low"}'],
  ['impact medium', '{"impact":"medium"}'],
  ['impact high', '{"impact":"high"}'],
  ['every field', '{"impact":"high","location_id":2,"managed_by_group_id":10,"managed_by_agent_id":100}'],
  ['every field reordered', '{"managed_by_agent_id":200,"managed_by_group_id":20,"location_id":3,"impact":"low"}'],
  ['location none', '{"location_id":null}'],
  ['group none', '{"managed_by_group_id":null}'],
  ['agent none', '{"managed_by_agent_id":null}'],
  ['all refs none', '{"location_id":null,"managed_by_group_id":null,"managed_by_agent_id":null}'],
  ['known location', '{"location_id":1}'],
  ['unknown location', '{"location_id":4}'],
  ['unknown group', '{"managed_by_group_id":11}'],
  ['unknown agent', '{"managed_by_agent_id":101}'],
  ['largest exact id', '{"location_id":9007199254740991}'],
  ['id past 2^53', '{"location_id":9007199254740992}'],
  ['id 1.0', '{"location_id":1.0}'],
  ['id 1e0', '{"location_id":1e0}'],
  ['id 3e0 agent', '{"managed_by_agent_id":3e0}'],
  ['id 0', '{"location_id":0}'],
  ['id -1', '{"location_id":-1}'],
  ['id -0', '{"location_id":-0}'],
  ['id 1.5', '{"location_id":1.5}'],
  ['id 1e300', '{"location_id":1e300}'],
  ['id string', '{"location_id":"1"}'],
  ['id true', '{"managed_by_group_id":true}'],
  ['id array', '{"managed_by_agent_id":[1]}'],
  ['id object', '{"managed_by_agent_id":{}}'],
  ['impact null', '{"impact":null}'],
  ['impact unknown', '{"impact":"urgent"}'],
  ['impact upper case', '{"impact":"High"}'],
  ['impact number', '{"impact":1}'],
  ['impact padded', '{"impact":" low"}'],
  ['empty object', '{}'],
  ['unknown field', '{"name":"Laptop"}'],
  ['unknown field with valid one', '{"impact":"low","version":3}'],
  ['array', '[{"impact":"low"}]'],
  ['null', 'null'],
  ['number', '42'],
  ['string', '"impact"'],
  ['empty text', ''],
  ['whitespace only', '   '],
  ['whitespace around', ' \n\t{"impact":"low"} \r\n'],
  ['trailing comma', '{"impact":"low",}'],
  ['trailing text', '{"impact":"low"} x'],
  ['two objects', '{"impact":"low"}{"impact":"high"}'],
  ['duplicate key', '{"impact":"low","impact":"high"}'],
  ['single quotes', "{'impact':'low'}"],
  ['unquoted key', '{impact:"low"}'],
  ['truncated', '{"impact":"lo'],
  ['nested deep', '['.repeat(70) + ']'.repeat(70)],
  ['escaped key', '{"\\u0069mpact":"high"}'],
  ['escaped value', '{"impact":"\\u006cow"}'],
  ['lone surrogate escape', '{"impact":"\\ud800"}'],
  ['unicode key', '{"impäct":"low"}'],
  ['emoji value', '{"impact":"🔥"}'],
  ['bom', '\uFEFF{"impact":"low"}'],
  ['nul byte', '{"impact":"low"}\u0000'],
  ['big exponent', '{"location_id":1e400}'],
  ['leading zero', '{"location_id":01}'],
  ['plus sign', '{"location_id":+1}'],
  ['hex number', '{"location_id":0x1}'],
  ['NaN', '{"location_id":NaN}'],
].map(([name, text]) => [name, utf8(text)]);

const BYTES = [
  ['invalid ff in key', Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])],
  ['invalid utf8 in value', Buffer.concat([utf8('{"impact":"l'), Buffer.from([0xc3]), utf8('w"}')])],
  ['overlong quote', Buffer.concat([utf8('{"impact":'), Buffer.from([0xc0, 0xa2]), utf8('low"}')])],
  ['surrogate bytes', Buffer.concat([utf8('{"impact":"'), Buffer.from([0xed, 0xa0, 0x80]), utf8('"}')])],
];

export function recordChangeCases() {
  const cases = [];
  [...CHANGES, ...BYTES].forEach(([name, change], i) => {
    VOCABULARIES.forEach((vocabulary, v) => {
      // Every change against the first vocabulary; the others in rotation.
      if (v !== 0 && (i + v) % 2 !== 0) return;
      cases.push({ name: `${name} / vocabulary ${v}`, change, vocabulary: JSON.stringify(vocabulary) });
    });
  });
  return cases;
}
