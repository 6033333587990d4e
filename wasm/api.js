// The module's public JavaScript API, linked with --post-js so it lives
// inside the createDeskgate() factory. Results are parsed from the JSON that
// shared/ produces, so a page sees exactly what the server computes.

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

// ---- Asset and software lists (wasm/grid_bindings.cc, shared/record_grid.h)

function deskgateStatus(text) {
  if (text !== '') throw new Error(JSON.parse(text).error);
}

function deskgateJsonText(value, name) {
  if (typeof value === 'string') return value;  // already JSON text
  if (typeof value !== 'object' || value === null) throw new TypeError(name + ' must be an object');
  return JSON.stringify(value);
}

// parseRecordChange(change) -> the change normalized ({impact, location_id, …}),
// or throws naming the field, as the server would answer 400.
Module['parseRecordChange'] = function (change) {
  return deskgateCall(Module['_parseRecordChangeJson'](deskgateJsonArg(change, 'change')));
};

// validateRecordChange(change, vocabulary) -> {ok: true, change} or {ok: false, error}.
// vocabulary: {locations: [ids], groups: [ids], agents: [ids]}. `change` may be
// JSON text or a Uint8Array of raw bytes.
Module['validateRecordChange'] = function (change, vocabulary) {
  return JSON.parse(Module['validateRecordChangeJson'](change, vocabulary));
};

// The same result as JSON text, byte for byte what native code prints.
Module['validateRecordChangeJson'] = function (change, vocabulary) {
  var text = change instanceof Uint8Array ? change : deskgateJsonArg(change, 'change');
  var result = Module['_validateRecordChangeJson'](text, deskgateJsonArg(vocabulary, 'vocabulary') || '{}');
  if (result.startsWith('{"error":')) throw new Error(JSON.parse(result).error);
  return result;
};

// new AssetGrid(): the state of one list (assets or software) — rows by id,
// the loaded order, inline edits, selection, bulk actions and undo. Call
// delete() when the page is done with it. See shared/record_grid.h for the rules.
// Ids and positions are numbers; fields are 'impact', 'location_id',
// 'managed_by_group_id', 'managed_by_agent_id'. Errors are thrown.
function AssetGrid() {
  this._grid = new Module['_AssetGrid']();
}

AssetGrid.prototype = {
  delete: function () { this._grid.delete(); },

  // Query and rows
  setVocabulary: function (vocabulary) {
    deskgateStatus(this._grid.setVocabulary(deskgateJsonText(vocabulary, 'vocabulary')));
  },
  // -> {filter_changed}. Query: {sort, dir, q, impact, location_id, …}.
  setQuery: function (query) {
    return deskgateCall(this._grid.setQuery(deskgateJsonText(query, 'query')));
  },
  // 'sort=name&dir=asc&…' for GET /api/assets?offset=…&limit=…&<params>.
  queryParams: function () { return this._grid.queryParams(); },
  // The list API's reply (object or text) for the rows from `offset`.
  loadPage: function (offset, page) {
    deskgateStatus(this._grid.loadPage(offset, deskgateJsonText(page, 'page')));
  },
  total: function () { return this._grid.total(); },
  isLoaded: function (position) { return this._grid.isLoaded(position); },
  positionOf: function (id) { return this._grid.positionOf(id); },
  removeRow: function (id) { this._grid.removeRow(id); },
  // Rows at positions [first, first + count): null where not loaded.
  rows: function (first, count) { return JSON.parse(this._grid.rows(first, count)); },

  // Inline edits. Each of commitEdit and save* returns {request}: a PATCH
  // to send ({id, field, if_match, body}) or null.
  beginEdit: function (id, field) { deskgateStatus(this._grid.beginEdit(id, field)); },
  cancelEdit: function (id, field) { deskgateStatus(this._grid.cancelEdit(id, field)); },
  dismiss: function (id, field) { deskgateStatus(this._grid.dismiss(id, field)); },
  cellState: function (id, field) {
    var state = this._grid.cellState(id, field);
    if (state.charAt(0) === '{') throw new Error(JSON.parse(state).error);
    return state;
  },
  commitEdit: function (id, field, value) {
    if (value === undefined) throw new TypeError('value must be a JSON value');
    return deskgateCall(this._grid.commitEdit(id, field, JSON.stringify(value)));
  },
  saveSucceeded: function (id, row) {
    return deskgateCall(this._grid.saveSucceeded(id, deskgateJsonText(row, 'row')));
  },
  saveFailed: function (id, message) {
    return deskgateCall(this._grid.saveFailed(id, String(message)));
  },
  // body: the 412 reply, {error, current}.
  saveConflict: function (id, body) {
    return deskgateCall(this._grid.saveConflict(id, deskgateJsonText(body, 'body')));
  },

  // Selection
  toggle: function (id) { return this._grid.toggle(id); },
  // -> how many positions in the range were skipped as not loaded.
  shiftClick: function (id) { return this._grid.shiftClick(id); },
  setRange: function (first, count, selected) { return this._grid.setRange(first, count, !!selected); },
  selectAllMatching: function () { this._grid.selectAllMatching(); },
  clearSelection: function () { this._grid.clearSelection(); },
  isSelected: function (id) { return this._grid.isSelected(id); },
  selectedCount: function () { return this._grid.selectedCount(); },
  allMatching: function () { return this._grid.allMatching(); },

  // Bulk actions. bulkRequest/beginBulk return the POST body as JSON text,
  // ready to send; replies come back as report objects.
  bulkRequest: function (change) {
    return deskgateTextResult(this._grid.bulkRequest(deskgateJsonText(change, 'change')));
  },
  beginBulk: function (change) {
    return deskgateTextResult(this._grid.beginBulk(deskgateJsonText(change, 'change')));
  },
  bulkSucceeded: function (part, reply) {
    return deskgateCall(this._grid.bulkSucceeded(part, deskgateJsonText(reply, 'reply')));
  },
  bulkFailed: function (part) { return deskgateCall(this._grid.bulkFailed(part)); },
  bulkPending: function () { return this._grid.bulkPending(); },

  // Undo: -> {patches: [PATCH requests], bulk: [POST bodies; reply to bulk[i]
  // goes to bulkSucceeded(i, …)], skipped: [ids changed since, left alone]}.
  undo: function () { return deskgateCall(this._grid.undo()); },
  undoDepth: function () { return this._grid.undoDepth(); },
};

function deskgateTextResult(text) {
  if (text.startsWith('{"error":')) throw new Error(JSON.parse(text).error);
  return text;
}

Module['AssetGrid'] = AssetGrid;
