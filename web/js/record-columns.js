// The asset and software lists' columns, and how their values read on the
// page: impact levels, and location, group and agent ids resolved to names.
// (Which values a change may take is the WASM module's business; this only
// labels them.)

export const PAGE_SIZE = 100;

// The four cells agents edit in place, by their JSON key.
export const EDITABLE = ['impact', 'location_id', 'managed_by_group_id', 'managed_by_agent_id'];

// Which /api/records/names list names each reference field.
const NAME_LIST = {
  location_id: 'locations',
  managed_by_group_id: 'groups',
  managed_by_agent_id: 'agents',
};

export const FIELD_LABEL = {
  impact: 'Impact',
  location_id: 'Location',
  managed_by_group_id: 'Managed by group',
  managed_by_agent_id: 'Managed by agent',
};

const IMPACT_LABEL = { low: 'Low', medium: 'Medium', high: 'High' };
export const IMPACTS = ['low', 'medium', 'high'];

export const LISTS = {
  assets: {
    title: 'Assets',
    one: 'asset',
    many: 'assets',
    details: [{ key: 'asset_tag', label: 'Asset tag', mono: true }, { key: 'type', label: 'Type' }],
    searchHint: 'Name, tag, type, serial…',
  },
  software: {
    title: 'Software',
    one: 'software record',
    many: 'software records',
    details: [{ key: 'publisher', label: 'Publisher' }, { key: 'version_string', label: 'Version' }],
    searchHint: 'Name, publisher or version…',
  },
};

// Columns in display order. `sort` is the list API's sort key.
export function columnsFor(list) {
  const [d1, d2] = LISTS[list].details;
  return [
    { key: 'select', label: 'Select', kind: 'select' },
    { key: 'name', label: 'Name', sort: 'name', kind: 'name' },
    { key: d1.key, label: d1.label, sort: d1.key, kind: 'text', mono: d1.mono },
    { key: d2.key, label: d2.label, sort: d2.key, kind: 'text' },
    { key: 'impact', label: 'Impact', sort: 'impact', kind: 'edit' },
    { key: 'location_id', label: 'Location', sort: 'location', kind: 'edit' },
    { key: 'managed_by_group_id', label: 'Managed by group', sort: 'managed_by_group', kind: 'edit' },
    { key: 'managed_by_agent_id', label: 'Managed by agent', sort: 'managed_by_agent', kind: 'edit' },
    { key: 'updated_at', label: 'Updated', sort: 'updated_at', kind: 'time' },
    { key: 'open', label: 'Details', kind: 'open' },
    { key: 'history', label: 'History', kind: 'history' },
  ];
}

// Names for locations, groups and agents, from GET /api/records/names.
export class Names {
  constructor(data) {
    this.data = data;
    this.maps = {};
    for (const list of Object.values(NAME_LIST)) {
      this.maps[list] = new Map((data[list] ?? []).map((n) => [n.id, n.name]));
    }
  }

  // "High", "London HQ", "None", or "#42" for an id nobody named.
  label(field, value) {
    if (field === 'impact') return IMPACT_LABEL[value] ?? String(value);
    if (value === null || value === undefined) return 'None';
    return this.maps[NAME_LIST[field]]?.get(value) ?? `#${value}`;
  }

  // [{value, label}] for a dropdown: impact levels, or "— None —" then the
  // names in the order the server sorted them (by name).
  options(field) {
    if (field === 'impact') return IMPACTS.map((value) => ({ value, label: IMPACT_LABEL[value] }));
    return [{ value: null, label: '— None —' },
      ...(this.data[NAME_LIST[field]] ?? []).map((n) => ({ value: n.id, label: n.name }))];
  }

  // The ids a change may name, in the shape the WASM module takes.
  vocabulary() {
    const ids = (list) => (this.data[list] ?? []).map((n) => n.id);
    return { locations: ids('locations'), groups: ids('groups'), agents: ids('agents') };
  }
}

export function formatCount(n) {
  return Number(n).toLocaleString('en-US');
}

// "1 asset" / "12,345 assets".
export function countOf(list, n) {
  const { one, many } = LISTS[list];
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
