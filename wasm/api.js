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

// new AssetGrid(): the state of one list (assets or software): rows by id,
// the loaded order, inline edits, selection, bulk actions and undo. Call
// delete() when the page is done with it. The rules are in
// shared/record_grid.h. Ids and positions are numbers; fields are 'impact',
// 'location_id', 'managed_by_group_id', 'managed_by_agent_id'. Errors throw.
function AssetGrid() {
  this._h = Module['_gridNew']();
}

function deskgateTextResult(text) {
  if (text.startsWith('{"error":')) throw new Error(JSON.parse(text).error);
  return text;
}

function deskgateBytesResult(result) {
  if (typeof result === 'string') throw new Error(JSON.parse(result).error);
  return result;
}

AssetGrid.prototype = {
  delete: function () { Module['_gridDelete'](this._h); },

  // Query and rows
  setVocabulary: function (vocabulary) {
    deskgateStatus(Module['_gridSetVocabulary'](this._h, deskgateJsonText(vocabulary, 'vocabulary')));
  },
  // -> {filter_changed}. Query: {sort, dir, q, impact, location_id, …}.
  setQuery: function (query) {
    return deskgateCall(Module['_gridSetQuery'](this._h, deskgateJsonText(query, 'query')));
  },
  // The list API's reply (object or text) for the rows from `offset`.
  loadPage: function (offset, page) {
    deskgateStatus(Module['_gridLoadPage'](this._h, offset, deskgateJsonText(page, 'page')));
  },
  total: function () { return Module['_gridTotal'](this._h); },
  isLoaded: function (position) { return Module['_gridIsLoaded'](this._h, position); },
  positionOf: function (id) { return Module['_gridPositionOf'](this._h, id); },
  removeRow: function (id) { Module['_gridRemoveRow'](this._h, id); },
  // Rows at positions [first, first + count): null where not loaded.
  rows: function (first, count) { return deskgateCall(Module['_gridRows'](this._h, first, count)); },

  // Inline edits. commitEdit and the save replies return {request}: the
  // PATCH to send next ({id, field, if_match, body}) or null.
  beginEdit: function (id, field) { deskgateStatus(Module['_gridCellAction'](this._h, id, field, 'begin')); },
  cancelEdit: function (id, field) { deskgateStatus(Module['_gridCellAction'](this._h, id, field, 'cancel')); },
  dismiss: function (id, field) { deskgateStatus(Module['_gridCellAction'](this._h, id, field, 'dismiss')); },
  // 'idle', 'editing', 'saving', 'saved', 'failed' or 'conflict'.
  cellState: function (id, field) {
    return deskgateTextResult(Module['_gridCellAction'](this._h, id, field, 'state'));
  },
  commitEdit: function (id, field, value) {
    if (value === undefined) throw new TypeError('value must be a JSON value');
    return deskgateCall(Module['_gridCommitEdit'](this._h, id, field, JSON.stringify(value)));
  },
  saveSucceeded: function (id, row) {
    return deskgateCall(Module['_gridSaveReply'](this._h, id, 'ok', deskgateJsonText(row, 'row')));
  },
  saveFailed: function (id, message) {
    return deskgateCall(Module['_gridSaveReply'](this._h, id, 'failed', String(message)));
  },
  // body: the 412 reply, {error, current}.
  saveConflict: function (id, body) {
    return deskgateCall(Module['_gridSaveReply'](this._h, id, 'conflict', deskgateJsonText(body, 'body')));
  },

  // Selection
  toggle: function (id) { return Module['_gridToggle'](this._h, id); },
  // -> how many positions of the range were skipped as not loaded.
  shiftClick: function (id) { return Module['_gridShiftClick'](this._h, id); },
  setRange: function (first, count, selected) {
    return Module['_gridSetRange'](this._h, first, count, !!selected);
  },
  selectAllMatching: function () { Module['_gridSelectAll'](this._h, true); },
  clearSelection: function () { Module['_gridSelectAll'](this._h, false); },
  isSelected: function (id) { return Module['_gridIsSelected'](this._h, id); },
  // -> {selected, all_matching, bulk_pending, undo_depth}
  status: function () {
    var s = deskgateCall(Module['_gridStatus'](this._h));
    return { selected: s[0], all_matching: !!s[1], bulk_pending: !!s[2], undo_depth: s[3] };
  },
  selectedCount: function () { return this.status().selected; },

  // Bulk actions. bulkRequest/beginBulk return the POST body as a
  // Uint8Array of JSON, ready for fetch (new TextDecoder().decode() shows
  // it); replies come back as report objects.
  bulkRequest: function (change) {
    return deskgateBytesResult(Module['_gridBulkRequest'](this._h, deskgateJsonText(change, 'change'), false));
  },
  beginBulk: function (change) {
    return deskgateBytesResult(Module['_gridBulkRequest'](this._h, deskgateJsonText(change, 'change'), true));
  },
  bulkSucceeded: function (part, reply) {
    return deskgateCall(Module['_gridBulkReply'](this._h, part, false, deskgateJsonText(reply, 'reply')));
  },
  bulkFailed: function (part) { return deskgateCall(Module['_gridBulkReply'](this._h, part, true, '')); },

  // Undo: -> {patches: [PATCH requests], bulk: [POST bodies; the reply to
  // bulk[i] goes to bulkSucceeded(i, …)], skipped: [ids changed since]}.
  undo: function () { return deskgateCall(Module['_gridUndo'](this._h)); },
};

Module['AssetGrid'] = AssetGrid;
