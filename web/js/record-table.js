// The virtualized table of the asset and software lists. It draws only the
// rows in view (fixed row height, a canvas as tall as the whole list) from
// the WASM grid's rows(), keeps an active cell for the keyboard, and turns
// clicks and keys into calls on `actions` (record-list.js), which owns the
// grid state and the network. Nothing here decides a rule: every value,
// cell state and selection flag it shows comes from the grid.
import { el, formatShort, formatTime } from '/js/dom.js';
import { FIELD_LABEL } from '/js/record-columns.js';
import { sentence } from '/js/api.js';

export const ROW_HEIGHT = 44;
const OVERSCAN = 8;
// Browsers cap how tall an element may be (Chromium ~33.5 million pixels,
// Firefox ~17.9 million): a million rows of 44 px would leave the last
// quarter out of reach. Past this height the canvas stays this tall and the
// scroll position is scaled to the list (scrollTop ↔ virtual top).
const MAX_CANVAS = 10_000_000;

const NAV_KEYS = new Set(['ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', 'Home', 'End']);
// The reason a row outside a group-scoped editor's groups is read-only.
const OUTSIDE_SCOPE = 'You may edit only records managed by your groups.';

export class RecordTable {
  constructor({ root, columns, grid, names, actions, label }) {
    this.grid = grid;
    this.names = names;
    this.actions = actions;
    this.columns = columns;
    this.readOnly = false;
    this.sort = { key: 'name', dir: 'asc' };
    this.active = { pos: 0, col: 1 };
    this.rowEls = new Map();  // position -> { el, cells, sigs }
    this.focusEditor = null;  // { id, field, picker } to focus after the next render
    this.keyNav = false;  // the editor's value is moving by keyboard: not a commit yet
    this.frame = 0;
    this.visible = { first: 0, count: 0 };
    this.seenNames = new Map();  // id -> name of rows drawn, for reports about rows since gone
    this.headHeight = 42;
    this.viewHeight = 480;
    this.shift = 0;  // virtual top − scrollTop: how far rows are drawn up the canvas

    this.viewport = el('div', {
      className: 'grid-viewport', id: 'grid-viewport', tabIndex: 0, role: 'grid',
      'aria-label': label, 'aria-multiselectable': 'true', 'aria-colcount': columns.length,
    });
    this.head = el('div', { className: 'grid-head', role: 'row', 'aria-rowindex': 1 });
    this.canvas = el('div', { className: 'grid-canvas', role: 'rowgroup' });
    this.empty = el('div', { className: 'grid-empty', id: 'grid-empty', hidden: true });
    this.viewport.append(this.head, this.canvas);
    root.append(this.viewport, this.empty);
    this.buildHead();

    this.viewport.addEventListener('scroll', () => this.scheduleRender(), { passive: true });
    // Sizes are read here, never while drawing: a read after DOM writes forces a layout.
    new ResizeObserver(() => {
      this.headHeight = this.head.offsetHeight;
      this.viewHeight = this.viewport.clientHeight;
      this.scheduleRender();
    }).observe(this.viewport);
    this.viewport.addEventListener('click', (event) => this.onClick(event));
    this.viewport.addEventListener('keydown', (event) => this.onKeyDown(event));
    this.viewport.addEventListener('keyup', (event) => {
      if (event.target.matches('select.cell-select')) this.keyNav = false;
    });
    this.viewport.addEventListener('mousedown', (event) => {
      if (event.target.matches('select.cell-select')) this.keyNav = false;
    });
    this.viewport.addEventListener('change', (event) => this.onChange(event));
    this.viewport.addEventListener('focusout', (event) => this.onFocusOut(event));
  }

  // ---- Header

  buildHead() {
    this.headCells = this.columns.map((col, index) => {
      const cell = el('div', { className: `head-cell col-${col.key}`, role: 'columnheader', 'aria-colindex': index + 1 });
      if (col.kind === 'select') {
        this.pageBox = el('input', { type: 'checkbox', id: 'select-page', className: 'page-check', 'aria-label': 'Select the loaded rows' });
        this.pageBox.addEventListener('click', () => this.actions.togglePage());
        cell.append(this.pageBox);
      } else if (col.sort) {
        const button = el('button', { type: 'button', className: 'sort-button', data: { sort: col.sort } },
          el('span', {}, col.label), el('span', { className: 'sort-arrow', 'aria-hidden': 'true' }));
        button.addEventListener('click', () => this.actions.sortBy(col.sort));
        cell.append(button);
      } else {
        cell.append(el('span', { className: 'visually-hidden' }, col.label));
      }
      if (col.kind === 'edit') cell.classList.add('head-edit');
      this.head.append(cell);
      return cell;
    });
    this.showSort(this.sort);
  }

  showSort(sort) {
    this.sort = sort;
    this.columns.forEach((col, index) => {
      const cell = this.headCells[index];
      if (!col.sort) return;
      const on = col.sort === sort.key;
      cell.setAttribute('aria-sort', on ? (sort.dir === 'desc' ? 'descending' : 'ascending') : 'none');
      cell.querySelector('.sort-arrow').textContent = on ? (sort.dir === 'desc' ? '▼' : '▲') : '';
      cell.classList.toggle('is-sorted', on);
    });
  }

  // checked: the whole page or everything matching is selected; mixed: some rows.
  showPageBox({ checked, mixed, disabled }) {
    this.pageBox.checked = checked;
    this.pageBox.indeterminate = mixed;
    this.pageBox.disabled = disabled;
    this.pageBox.setAttribute('aria-label', checked || mixed ? 'Clear the selection' : 'Select the loaded rows');
  }

  // ---- Rendering

  scheduleRender() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  render() {
    if (this.frame) {
      cancelAnimationFrame(this.frame);
      this.frame = 0;
    }
    const top = this.viewport.scrollTop;  // first, while the layout is still clean
    const total = this.grid.total();
    if (total !== this.drawnTotal) {
      this.drawnTotal = total;
      this.canvas.style.height = `${Math.min(total * ROW_HEIGHT, MAX_CANVAS)}px`;
      this.viewport.setAttribute('aria-rowcount', String(total + 1));
    }
    const shift = Math.round(this.virtualTop(top) - top);
    if (shift !== this.shift) {
      this.shift = shift;
      for (const [pos, entry] of this.rowEls) this.placeRow(entry, pos);
    }
    const inView = Math.max(1, Math.ceil((this.viewHeight - this.headHeight) / ROW_HEIGHT));
    const firstInView = Math.min(Math.floor((top + shift) / ROW_HEIGHT), Math.max(0, total - 1));
    const first = Math.max(0, firstInView - OVERSCAN);
    const last = Math.min(total, firstInView + inView + OVERSCAN);
    const rows = last > first ? this.grid.rows(first, last - first) : [];
    // Row elements that scrolled out are reused for the rows that scrolled in.
    const spare = [];
    for (const [pos, entry] of this.rowEls) {
      if (pos < first || pos >= first + rows.length) {
        spare.push(entry);
        this.rowEls.delete(pos);
      }
    }
    for (let i = 0; i < rows.length; i++) {
      const pos = first + i;
      let entry = this.rowEls.get(pos);
      if (!entry) {
        entry = spare.pop() ?? this.makeRow();
        this.placeRow(entry, pos);
        this.rowEls.set(pos, entry);
      }
      this.updateRow(entry, pos, rows[i]);
    }
    for (const entry of spare) entry.el.remove();
    this.visible = { first: firstInView, count: Math.min(inView, Math.max(0, total - firstInView)) };
    const active = this.activeCell()?.id ?? '';
    if (active !== this.drawnActive) {
      this.drawnActive = active;
      if (active) {
        this.viewport.setAttribute('aria-activedescendant', active);
      } else {
        this.viewport.removeAttribute('aria-activedescendant');
      }
    }
    this.placeFocus();
    this.actions.rangeShown(first, last - first, this.visible);
  }

  makeRow() {
    const row = el('div', { className: 'grid-row', role: 'row' });
    const cells = this.columns.map((col, index) => el('div', {
      className: `cell col-${col.key}`, role: 'gridcell', 'aria-colindex': index + 1, data: { col: index },
    }));
    row.append(...cells);
    this.canvas.append(row);
    return { el: row, cells, sigs: [], pos: -1, flags: '', active: -1 };
  }

  // Moves a row element to a position (its cells' ids and positions with it).
  placeRow(entry, pos) {
    entry.pos = pos;
    entry.el.style.transform = `translateY(${pos * ROW_HEIGHT - this.shift}px)`;
    entry.el.setAttribute('aria-rowindex', String(pos + 2));
    entry.cells.forEach((cell, index) => {
      cell.id = `cell-${pos}-${index}`;
      cell.dataset.pos = String(pos);
    });
  }

  updateRow(entry, pos, row) {
    const rowEl = entry.el;
    const panel = !!row?.cells && Object.values(row.cells).some((c) => c.state === 'failed' || c.state === 'conflict');
    // Classes and attributes are written only when they change.
    const flags = row ? `${row.id}|${row.selected}|${row.refused ?? ''}|${panel}` : 'loading';
    if (flags !== entry.flags) {
      entry.flags = flags;
      rowEl.classList.toggle('is-loading', !row);
      rowEl.classList.toggle('is-selected', !!row?.selected);
      rowEl.classList.toggle('is-refused', !!row?.refused);
      rowEl.classList.toggle('has-panel', panel);
      rowEl.dataset.id = row ? String(row.id) : '';
      if (row) {
        rowEl.setAttribute('aria-selected', row.selected ? 'true' : 'false');
      } else {
        rowEl.removeAttribute('aria-selected');
      }
    }
    for (let index = 0; index < this.columns.length; index++) {
      const sig = this.cellSig(this.columns[index], row);
      if (sig !== entry.sigs[index]) {
        entry.sigs[index] = sig;
        this.fillCell(entry.cells[index], this.columns[index], row);
      }
    }
    const active = pos === this.active.pos ? this.active.col : -1;
    if (active !== entry.active) {
      entry.cells[entry.active]?.classList.remove('is-active');
      entry.cells[active]?.classList.add('is-active');
      entry.active = active;
    }
  }

  cellSig(col, row) {
    if (!row) return 'loading';
    switch (col.kind) {
      case 'select': return `${row.id}|${row.selected}|${row.name}`;
      case 'name': return `${row.id}|${row.name}|${row.refused ?? ''}`;
      case 'edit': return `${row.id}|${row.name}|${JSON.stringify(row[col.key])}|${JSON.stringify(row.cells?.[col.key] ?? null)}|${this.readOnly}|${row.editable !== false}`;
      case 'time': return String(row.updated_at);
      case 'history': case 'open': return `${row.id}|${row.name}`;
      default: return String(row[col.key] ?? '');
    }
  }

  fillCell(cell, col, row) {
    const active = cell.classList.contains('is-active');
    cell.replaceChildren();
    cell.className = `cell col-${col.key}${active ? ' is-active' : ''}`;
    cell.removeAttribute('title');
    if (!row) {
      if (col.kind !== 'select' && col.kind !== 'history' && col.kind !== 'open') cell.append(el('span', { className: 'skeleton' }));
      return;
    }
    switch (col.kind) {
      case 'select':
        cell.append(el('input', {
          type: 'checkbox', className: 'row-check', tabIndex: -1, checked: row.selected,
          'aria-label': `Select ${row.name}`, data: { id: row.id },
        }));
        break;
      case 'name':
        this.seenNames.set(row.id, row.name);
        cell.append(el('button', { type: 'button', className: 'row-name', tabIndex: -1, data: { id: row.id }, title: row.name }, row.name));
        if (row.refused) {
          cell.append(el('span', { className: 'badge badge-bad refused-badge', title: 'The last bulk action did not change this row' },
            row.refused === 'forbidden' ? 'Not allowed' : 'Changed meanwhile'));
        }
        break;
      case 'edit':
        this.fillEditCell(cell, col.key, row);
        break;
      case 'time':
        cell.append(el('span', { title: formatTime(row.updated_at) }, formatShort(row.updated_at)));
        break;
      case 'open':
        cell.append(el('button', {
          type: 'button', className: 'open-button', tabIndex: -1, data: { id: row.id },
          'aria-label': `Details of ${row.name}`, title: 'Details',
        }));
        break;
      case 'history':
        cell.append(el('button', {
          type: 'button', className: 'history-button', tabIndex: -1, data: { id: row.id },
          'aria-label': `History of ${row.name}`, title: 'History',
        }));
        break;
      default:
        cell.textContent = row[col.key] ?? '';
        cell.title = row[col.key] ?? '';
        if (col.mono) cell.classList.add('mono');
    }
  }

  fillEditCell(cell, key, row) {
    const edit = row.cells?.[key];
    const state = edit?.state ?? 'idle';
    cell.classList.add('cell-edit', `state-${state}`);
    // A row outside the person's groups is shown, not offered for editing.
    const locked = this.readOnly || row.editable === false;
    if (locked) cell.classList.add('read-only');
    if (row.editable === false && !this.readOnly) cell.title = OUTSIDE_SCOPE;
    cell.dataset.field = key;
    cell.dataset.id = String(row.id);
    if (state === 'editing' && !locked) {
      const select = el('select', {
        className: 'cell-select', 'aria-label': `${FIELD_LABEL[key]} of ${row.name}`,
        data: { id: row.id, field: key, original: JSON.stringify(row[key]) },
      });
      for (const option of this.names.options(key)) {
        select.append(el('option', { value: JSON.stringify(option.value) }, option.label));
      }
      select.value = JSON.stringify(row[key]);
      cell.append(select);
      return;
    }
    const value = row[key];
    const shown = el('span', {
      className: key === 'impact' ? `impact impact-${value}` : `cell-value${value === null ? ' is-none' : ''}`,
    }, this.names.label(key, value));
    cell.append(shown);
    const label = (v) => this.names.label(key, v);
    if (state === 'saving') {
      cell.append(el('span', { className: 'cell-spinner', role: 'img', 'aria-label': 'Saving' }));
    } else if (state === 'saved') {
      cell.append(el('span', { className: 'cell-tick', role: 'img', 'aria-label': 'Saved' }, '✓'));
    } else if (!locked) {
      cell.append(el('span', { className: 'cell-caret', 'aria-hidden': 'true' }));
    }
    const button = (text, action, extra = {}) => el('button', {
      type: 'button', className: `panel-button${action === 'retry' ? ' primary-action' : ''}`,
      data: { cellAction: action, id: row.id, field: key, value: JSON.stringify(edit.value ?? null), ...extra },
    }, text);
    if (state === 'failed') {
      cell.append(el('div', { className: 'cell-panel panel-failed', role: 'alert' },
        el('p', {}, el('strong', {}, 'Not saved. '), edit.message ? sentence(edit.message) : 'The change could not be saved.'),
        el('p', { className: 'panel-note' }, `Kept ${label(value)}; you chose ${label(edit.value)}.`),
        // Retrying cannot help someone whose role may not edit.
        el('div', { className: 'panel-actions' }, this.readOnly ? null : button('Try again', 'retry'), button('Dismiss', 'dismiss'))));
    } else if (state === 'conflict') {
      cell.append(el('div', { className: 'cell-panel panel-conflict', role: 'alert' },
        el('p', {}, el('strong', {}, 'Changed by someone else: '), 'now ', el('span', { className: 'theirs' }, label(value)), '.'),
        el('p', { className: 'panel-note' }, 'Yours: ', el('span', { className: 'mine' }, label(edit.value))),
        el('div', { className: 'panel-actions' }, button('Take theirs', 'dismiss'), button('Retry mine', 'retry'))));
    }
  }

  // Focuses the editor a begin-edit asked for (once it is drawn).
  placeFocus() {
    if (!this.focusEditor) return;
    const { id, field, picker } = this.focusEditor;
    const select = this.canvas.querySelector(`select.cell-select[data-id="${id}"][data-field="${field}"]`);
    if (!select) return;
    this.focusEditor = null;
    this.keyNav = false;
    select.focus({ preventScroll: true });
    if (picker) {
      try {
        select.showPicker();
      } catch {
        // not allowed here (no user gesture) or not supported: the select is focused anyway
      }
    }
  }

  activeCell() {
    return this.rowEls.get(this.active.pos)?.cells[this.active.col] ?? null;
  }

  // The row shown at `pos`, if loaded.
  rowAt(pos) {
    if (pos < 0 || pos >= this.grid.total() || !this.grid.isLoaded(pos)) return null;
    return this.grid.rows(pos, 1)[0];
  }

  setActive(pos, col, { scroll = true } = {}) {
    const total = this.grid.total();
    this.active = {
      pos: Math.max(0, Math.min(pos, total - 1)),
      col: Math.max(0, Math.min(col, this.columns.length - 1)),
    };
    if (scroll) this.scrollToRow(this.active.pos);
    this.render();
    if (scroll) {
      this.activeCell()?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    }
  }

  scrollToRow(pos) {
    const room = this.viewHeight - this.headHeight;
    const top = pos * ROW_HEIGHT;
    const shown = this.virtualTop(this.viewport.scrollTop);
    if (top < shown) {
      this.viewport.scrollTop = this.scrollTopFor(top);
    } else if (top + ROW_HEIGHT > shown + room) {
      this.viewport.scrollTop = this.scrollTopFor(top + ROW_HEIGHT - room);
    }
  }

  // The list's scroll position in row pixels for a scrollTop (MAX_CANVAS).
  virtualTop(scrollTop) {
    const [full, canvas, room] = this.heights();
    if (full <= canvas || canvas <= room) return scrollTop;
    return scrollTop * (full - room) / (canvas - room);
  }

  scrollTopFor(virtualTop) {
    const [full, canvas, room] = this.heights();
    if (full <= canvas || canvas <= room) return virtualTop;
    return Math.round(virtualTop * (canvas - room) / (full - room));
  }

  heights() {
    const full = (this.drawnTotal ?? 0) * ROW_HEIGHT;
    return [full, Math.min(full, MAX_CANVAS), this.viewHeight - this.headHeight];
  }

  resetPosition() {
    this.viewport.scrollTop = 0;
    this.active = { pos: 0, col: this.active.col };
  }

  showEmpty(content) {
    this.empty.replaceChildren(...(content ?? []));
    this.empty.hidden = !content;
    this.viewport.classList.toggle('is-empty', !!content);
  }

  // ---- Events

  onClick(event) {
    const target = event.target;
    const action = target.closest('[data-cell-action]');
    if (action) {
      const { id, field, cellAction, value } = action.dataset;
      this.actions.cellAction(Number(id), field, cellAction, JSON.parse(value));
      this.viewport.focus({ preventScroll: true });
      return;
    }
    if (target.closest('.cell-panel') || target.matches('select.cell-select')) return;
    const cell = target.closest('.cell');
    if (cell) this.setActive(Number(cell.dataset.pos), Number(cell.dataset.col), { scroll: false });
    if (target.matches('input.row-check')) {
      this.actions.toggleRow(Number(target.dataset.id), event.shiftKey);
    } else if (target.closest('.open-button')) {
      this.actions.openRecord(Number(target.closest('button').dataset.id));
      return;
    } else if (target.closest('.row-name, .history-button')) {
      this.actions.openHistory(Number(target.closest('button').dataset.id));
      return;
    } else if (cell?.dataset.field && !this.readOnly) {
      this.actions.beginEdit(Number(cell.dataset.id), cell.dataset.field, { picker: true });
      return;
    }
    this.viewport.focus({ preventScroll: true });
  }

  onChange(event) {
    const select = event.target;
    if (!select.matches('select.cell-select')) return;
    if (this.keyNav) return;  // arrows move through the options; Enter or Tab commits
    this.actions.commit(Number(select.dataset.id), select.dataset.field, JSON.parse(select.value));
    this.viewport.focus({ preventScroll: true });
  }

  onFocusOut(event) {
    const select = event.target;
    if (!select.matches('select.cell-select')) return;
    // Leaving the editor keeps what was picked (an unchanged value just ends the edit).
    const { id, field } = select.dataset;
    if (this.grid.cellState(Number(id), field) === 'editing') {
      this.actions.commit(Number(id), field, JSON.parse(select.value), { quiet: true });
    }
  }

  onKeyDown(event) {
    if (event.target.matches('select.cell-select')) {
      this.editorKey(event, event.target);
    } else if (!event.target.closest('.cell-panel')) {
      this.gridKey(event);
    }
  }

  editorKey(event, select) {
    const id = Number(select.dataset.id);
    const field = select.dataset.field;
    switch (event.key) {
      case 'Enter':
        event.preventDefault();
        this.actions.commit(id, field, JSON.parse(select.value));
        this.viewport.focus({ preventScroll: true });
        break;
      case 'Escape':
        event.preventDefault();
        event.stopPropagation();
        this.actions.cancelEdit(id, field);
        this.viewport.focus({ preventScroll: true });
        break;
      case 'Tab':
        event.preventDefault();
        this.actions.commit(id, field, JSON.parse(select.value));
        this.moveEdit(event.shiftKey ? -1 : 1);
        break;
      default:
        if (NAV_KEYS.has(event.key) || event.key.length === 1) this.keyNav = true;
    }
  }

  // Tab while editing: the next editable cell (wrapping to the next row) starts editing.
  moveEdit(step) {
    const editable = this.columns.map((c, i) => (c.kind === 'edit' ? i : -1)).filter((i) => i >= 0);
    let { pos, col } = this.active;
    let at = editable.indexOf(col) + step;
    if (editable.indexOf(col) < 0) at = step > 0 ? 0 : editable.length - 1;
    if (at >= editable.length) {
      pos += 1;
      at = 0;
    } else if (at < 0) {
      pos -= 1;
      at = editable.length - 1;
    }
    if (pos < 0 || pos >= this.grid.total()) {
      this.viewport.focus({ preventScroll: true });
      return;
    }
    this.setActive(pos, editable[at]);
    const row = this.rowAt(pos);
    if (row && !this.readOnly) {
      this.actions.beginEdit(row.id, this.columns[editable[at]].key, { picker: false });
    } else {
      this.viewport.focus({ preventScroll: true });
    }
  }

  gridKey(event) {
    const total = this.grid.total();
    if (total === 0) return;
    let { pos, col } = this.active;
    const page = Math.max(1, this.visible.count - 1);
    switch (event.key) {
      case 'ArrowDown': pos += 1; break;
      case 'ArrowUp': pos -= 1; break;
      case 'ArrowRight': col += 1; break;
      case 'ArrowLeft': col -= 1; break;
      case 'PageDown': pos += page; break;
      case 'PageUp': pos -= page; break;
      case 'Home': if (event.ctrlKey) pos = 0; else col = 0; break;
      case 'End': if (event.ctrlKey) pos = total - 1; else col = this.columns.length - 1; break;
      case 'Enter':
      case 'F2':
        event.preventDefault();
        this.activate();
        return;
      case ' ': {
        event.preventDefault();
        const row = this.rowAt(pos);
        if (row) this.actions.toggleRow(row.id, event.shiftKey);
        return;
      }
      default:
        return;
    }
    event.preventDefault();
    this.setActive(pos, col);
    this.viewport.focus({ preventScroll: true });
  }

  // Enter or F2 on the active cell.
  activate() {
    const row = this.rowAt(this.active.pos);
    if (!row) return;
    const col = this.columns[this.active.col];
    if (col.kind === 'edit') {
      if (!this.readOnly) this.actions.beginEdit(row.id, col.key, { picker: false });
    } else if (col.kind === 'select') {
      this.actions.toggleRow(row.id, false);
    } else if (col.kind === 'open') {
      this.actions.openRecord(row.id);
    } else if (col.kind === 'name' || col.kind === 'history') {
      this.actions.openHistory(row.id);
    }
  }
}

