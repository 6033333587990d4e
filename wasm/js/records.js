// The records module's JavaScript API (wasm/records_bindings.cc): record
// changes and the asset and software list state.

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

// validateRecordEdit(kind, record, vocabulary, {creating}) -> {ok: true, record}
// (normalized: text trimmed) or {ok: false, error}: a whole record's fields
// (record_details.h) checked by the server's rules. kind: 'asset' or 'software'.
Module['validateRecordEdit'] = function (kind, record, vocabulary, options) {
  return JSON.parse(Module['validateRecordEditJson'](kind, record, vocabulary, options));
};

// The same result as JSON text, byte for byte what native code prints.
Module['validateRecordEditJson'] = function (kind, record, vocabulary, options) {
  var text = record instanceof Uint8Array ? record : deskgateJsonArg(record, 'record');
  var creating = !!(options && options.creating);
  var result = Module['_validateRecordEditJson'](String(kind), text, creating,
    deskgateJsonArg(vocabulary, 'vocabulary') || '{}');
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
  // What the person may change: {all: true} or {all: false, groups: [ids]}
  // (GET /api/records/names "edit_scope"). Rows outside it render with
  // editable: false and refuse beginEdit with the reason.
  setEditScope: function (scope) {
    deskgateStatus(Module['_gridSetEditScope'](this._h, deskgateJsonText(scope, 'scope')));
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
  // -> {selected, all_matching, bulk_pending, undo_depth, hidden}; hidden:
  // selected rows the current filter hides (see hiddenCheckRequest).
  status: function () {
    var s = deskgateCall(Module['_gridStatus'](this._h));
    return { selected: s[0], all_matching: !!s[1], bulk_pending: !!s[2], undo_depth: s[3], hidden: s[4] };
  },
  // After a filter change: the body for POST /api/{list}/selection, or null
  // when no row is picked one by one. Its reply goes to setHidden.
  hiddenCheckRequest: function () {
    var body = Module['_gridHiddenCheck'](this._h);
    if (body === '') return null;
    if (body.indexOf('{"error"') === 0) deskgateCall(body);
    return body;
  },
  setHidden: function (reply) {
    deskgateStatus(Module['_gridHidden'](this._h, 'set', deskgateJsonText(reply, 'reply')));
  },
  // Deselects the selected rows the filter hides; -> how many.
  dropHidden: function () { return deskgateCall(Module['_gridHidden'](this._h, 'drop', '')); },
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
  // The selection alone ({"selection": …}, bytes), for a bulk retire or restore.
  selectionRequest: function () { return deskgateBytesResult(Module['_gridSelectionRequest'](this._h)); },
  bulkSucceeded: function (part, reply) {
    return deskgateCall(Module['_gridBulkReply'](this._h, part, false, deskgateJsonText(reply, 'reply')));
  },
  bulkFailed: function (part) { return deskgateCall(Module['_gridBulkReply'](this._h, part, true, '')); },

  // Undo: -> {patches: [PATCH requests], bulk: [POST bodies; the reply to
  // bulk[i] goes to bulkSucceeded(i, …)], skipped: [ids changed since]}.
  undo: function () { return deskgateCall(Module['_gridUndo'](this._h)); },
};

Module['AssetGrid'] = AssetGrid;
