// What every module's JavaScript API uses (linked first with --post-js, so
// it lives inside the module's factory). Results are parsed from the JSON
// that shared/ produces, so a page sees exactly what the server computes.

function deskgateCall(json) {
  // Errors are the only results that start this way.
  if (json.startsWith('{"error":')) throw new Error(JSON.parse(json).error);
  return JSON.parse(json);
}

function deskgateJsonArg(value, name) {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;  // already JSON text
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(name + ' must be an object');
  }
  return JSON.stringify(value);
}

