// The module's public JavaScript API, linked with --post-js so it lives
// inside the createDeskgate() factory. Results are parsed from the JSON that
// shared/ produces, so a page sees exactly what the server computes.

function deskgateCall(json) {
  const value = JSON.parse(json);
  if (value && typeof value === 'object' && !Array.isArray(value) && 'error' in value) {
    throw new Error(value.error);
  }
  return value;
}

function deskgateJsonArg(value, name) {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;  // already JSON text
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(name + ' must be an object');
  }
  return JSON.stringify(value);
}

// checkPassword(policy, password, context) -> {ok, length, violations, rules}
// `password` is a string, or a Uint8Array of raw bytes (which may be invalid UTF-8).
Module['checkPassword'] = function (policy, password, context) {
  if (typeof password !== 'string' && !(password instanceof Uint8Array)) {
    throw new TypeError('password must be a string or a Uint8Array');
  }
  return deskgateCall(Module['_checkPasswordJson'](
      deskgateJsonArg(policy, 'policy') || '{}', password, deskgateJsonArg(context, 'context')));
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
