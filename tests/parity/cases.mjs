// The parity table: policies × passwords × contexts that the native CLI and
// the WebAssembly module must answer with byte-identical JSON.
//
// Passwords are raw bytes (Buffers) so the table can hold what a JS string
// cannot: invalid UTF-8 and lone surrogate encodings.

const POLICIES = [
  {},
  { min_length: 8 },
  { min_length: 8, max_length: 64, require_uppercase: true, require_lowercase: true,
    require_digit: true, require_symbol: true },
  { min_length: 16, max_length: 1024, require_symbol: true },
  { min_length: 10, expiry_days: 90, reuse_history: 5, require_digit: true },
  { min_length: 128, max_length: 128 },
];

const CONTEXTS = [
  {},
  { email: 'jane.doe@example.com', name: 'Jane Doe' },
  { email: 'élodie.müller@example.fr', name: 'Élodie Müller' },
];

const utf8 = (s) => Buffer.from(s, 'utf8');
const bytes = (...b) => Buffer.from(b);

const PASSWORDS = [
  ['empty', Buffer.alloc(0)],
  ['one char', utf8('a')],
  ['one symbol', utf8('!')],
  ['1,000 chars', utf8('x'.repeat(1000))],
  ['1,000 mixed', utf8('Ab1!'.repeat(250))],
  ['ascii common', utf8('password')],
  ['ascii common upper', utf8('PASSWORD1')],
  ['ascii common long', utf8('qwertyuiop')],
  ['ascii passphrase', utf8('plum orchard lantern 42')],
  ['ascii complex', utf8('Tr0ub4dor&3xyz')],
  ['contains name', utf8('JaneLovesHiking99!')],
  ['contains email local', utf8('jane.doe-secret-2024')],
  ['accented latin', utf8('Élodie-Müller-çava-ß')],
  ['accented name', utf8('élodie sous la pluie 7')],
  ['greek', utf8('Ωμέγα πάντα ρεί 2024')],
  ['cyrillic', utf8('Жизнь прекрасна 42!')],
  ['cjk', utf8('日本語のパスワードです')],
  ['cjk long', utf8('我的密码非常安全而且很长很长很长')],
  ['emoji', utf8('🔑🔒🛡️👩‍💻🎉')],
  ['emoji with text', utf8('correct horse 🐎 battery staple')],
  ['combining marks', utf8('e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301')],
  ['zalgo', utf8('z\u0351\u0352a\u0353\u0354l\u0355g\u0356o\u0357\u0358 text here')],
  ['spaces only', utf8('            ')],
  ['leading trailing spaces', utf8('  spaced out password  ')],
  ['nbsp and em space', utf8('no\u00A0break\u2003space here')],
  ['tab', utf8('tab\tinside the password')],
  ['newline inside', utf8('line\nbreak password')],
  ['trailing newline', utf8('ends with newline!!\n')],
  ['trailing cr', utf8('ends with carriage\r')],
  ['nul inside', bytes(0x61, 0x62, 0x00, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c)],
  ['invalid ff', bytes(0x70, 0x61, 0x73, 0x73, 0xff, 0x77, 0x6f, 0x72, 0x64, 0x31, 0x32, 0x33)],
  ['lone continuation', bytes(0x80, 0x61, 0x62, 0x63)],
  ['overlong slash', bytes(0xc0, 0xaf, 0x65, 0x74, 0x63)],
  ['surrogate encoded', bytes(0xed, 0xa0, 0x80, 0x41, 0x42, 0x43)],
  ['truncated 3-byte', bytes(0x41, 0xe6, 0x97)],
  ['above U+10FFFF', bytes(0xf4, 0x90, 0x80, 0x80, 0x41)],
  ['digits only', utf8('123456789012')],
  ['arabic-indic digits', utf8('كلمة سر ٠١٢٣٤٥٦٧٨٩')],
  ['fullwidth', utf8('ＰＡＳＳｗｏｒｄ１２３！')],
  ['exactly 64', utf8('k'.repeat(64))],
  ['exactly 65', utf8('k'.repeat(65))],
  ['exactly 128', utf8('Zz9$'.repeat(32))],
];

export function parityCases() {
  const cases = [];
  POLICIES.forEach((policy, p) => {
    PASSWORDS.forEach(([label, password], w) => {
      // Rotate contexts so every password meets every context across policies.
      const context = CONTEXTS[(p + w) % CONTEXTS.length];
      cases.push({ name: `policy ${p} / ${label}`, policy: JSON.stringify(policy), password, context });
    });
  });
  return cases;
}
