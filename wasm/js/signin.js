// The sign-in and security module's JavaScript API (wasm/signin_bindings.cc, qr_bindings.cc):
// password policy and checks, QR codes for enrollment, portal access modes.

// A JS string with a lone surrogate has no UTF-8 form, and Embind's encoder
// would silently pair it with its neighbour. Encode such strings by hand as
// generalized UTF-8 (the surrogate as a 3-byte sequence), which shared/'s
// strict decoder then reports as invalid text, as the server would.
var deskgateLoneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function deskgatePasswordArg(password) {
  if (typeof password !== 'string' || !deskgateLoneSurrogate.test(password)) return password;
  var out = [];
  for (var i = 0; i < password.length; i++) {
    var cp = password.codePointAt(i);
    if (cp > 0xFFFF) i++;
    if (cp < 0x80) {
      out.push(cp);
    } else if (cp < 0x800) {
      out.push(0xC0 | (cp >> 6), 0x80 | (cp & 63));
    } else if (cp < 0x10000) {
      out.push(0xE0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    } else {
      out.push(0xF0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    }
  }
  return new Uint8Array(out);
}

// checkPassword(policy, password, context) -> {ok, length, violations, rules}
// where rules maps each rule id to "pass", "fail", "off" or "unchecked".
// `password` is a string, or a Uint8Array of raw bytes (which may be invalid UTF-8).
Module['checkPassword'] = function (policy, password, context) {
  if (typeof password !== 'string' && !(password instanceof Uint8Array)) {
    throw new TypeError('password must be a string or a Uint8Array');
  }
  return deskgateCall(Module['_checkPasswordJson'](
      deskgateJsonArg(policy, 'policy') || '{}', deskgatePasswordArg(password),
      deskgateJsonArg(context, 'context')));
};

// The same result as JSON text, byte for byte what the CLI prints.
Module['checkPasswordJson'] = function (policy, password, context) {
  return JSON.stringify(Module['checkPassword'](policy, password, context));
};

// normalizePolicy(policy) -> the policy with every field, or throws naming the bad field.
Module['normalizePolicy'] = function (policy) {
  return deskgateCall(Module['_normalizePolicyJson'](deskgateJsonArg(policy, 'policy') || '{}'));
};

// passwordExpiry(policy, changedAt, now), times in Unix seconds.
Module['passwordExpiry'] = function (policy, changedAt, now) {
  return deskgateCall(Module['_passwordExpiryJson'](
      deskgateJsonArg(policy, 'policy') || '{}', Number(changedAt), Number(now)));
};

// policyAdvice(policy) -> [{field, note}] where the policy departs from NIST / OWASP advice.
Module['policyAdvice'] = function (policy) {
  return deskgateCall(Module['_policyAdviceJson'](deskgateJsonArg(policy, 'policy') || '{}'));
};

// passwordRules(policy) -> [{rule, label, enabled}] in checklist order.
Module['passwordRules'] = function (policy) {
  return deskgateCall(Module['_passwordRulesJson'](deskgateJsonArg(policy, 'policy') || '{}'));
};

function deskgateQrArgs(text, ecl) {
  if (typeof text !== 'string' && !(text instanceof Uint8Array)) {
    throw new TypeError('text must be a string or a Uint8Array');
  }
  return [text, ecl === undefined ? 'M' : String(ecl)];
}

// qrSvg(text, ecl = 'M', title = 'QR code') -> SVG markup with a 4-module quiet zone.
Module['qrSvg'] = function (text, ecl, title) {
  var args = deskgateQrArgs(text, ecl);
  var svg = Module['_qrSvg'](args[0], args[1], title === undefined ? 'QR code' : String(title));
  if (svg.charAt(0) === '{') throw new Error(JSON.parse(svg).error);
  return svg;
};

// qrMatrix(text, ecl = 'M') -> {version, size, mask, modules}: modules is a
// Uint8Array of size*size (row-major, 1 = dark), without the quiet zone.
Module['qrMatrix'] = function (text, ecl) {
  var args = deskgateQrArgs(text, ecl);
  var result = Module['_qrMatrix'](args[0], args[1]);
  if (result.error !== undefined) throw new Error(result.error);
  return result;
};

// portalAccessModes('agent' | 'contact') -> [{mode, needs_sso}] in display order.
Module['portalAccessModes'] = function (portal) {
  return deskgateCall(Module['_portalAccessModesJson'](String(portal)));
};


// mfaRules() -> {code_digits, recovery_code_count}: the numbers the pages show.
Module['mfaRules'] = function () {
  return deskgateCall(Module['_mfaRulesJson']());
};

// isOneTimeCode(text) -> whether it has the shape of a one-time code (six digits).
Module['isOneTimeCode'] = function (code) {
  return Module['_isOneTimeCode'](String(code));
};

// issuerProblem(text) -> null when the issuer may be saved, else the
// server's message for it ("issuer: must not contain a colon (:)").
Module['issuerProblem'] = function (issuer) {
  var problem = Module['_issuerProblem'](String(issuer));
  return problem === '' ? null : problem;
};

// mfaChangeEndsSessions(beforeMfa, afterMfa) -> whether saving ends the
// portal's other sessions at once (MFA newly required "immediately").
Module['mfaChangeEndsSessions'] = function (before, after) {
  return Module['_mfaChangeEndsSessions'](!!before.authenticator_app, !!before.email_otp,
    !!after.authenticator_app, !!after.email_otp, String(after.enforcement));
};
