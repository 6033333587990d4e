// The live password checklist: renders the module's rule states into a list.
const QUIET_WHEN_PASSING = new Set(['utf8', 'control_characters']);

const STATUS_TEXT = {
  pass: 'met',
  fail: 'not met',
  unchecked: 'checked by the server when the password is saved',
};

// `rules` from dg.passwordRules(policy), `result` from dg.checkPassword(…).
export function renderChecklist(list, rules, result) {
  const items = rules
    .filter((rule) => rule.enabled)
    .filter((rule) => result.rules[rule.rule] !== 'pass' || !QUIET_WHEN_PASSING.has(rule.rule))
    .map((rule) => {
      const status = result.rules[rule.rule];
      const li = document.createElement('li');
      li.className = `rule rule-${status}`;
      li.dataset.rule = rule.rule;
      li.dataset.status = status;
      const icon = document.createElement('span');
      icon.className = 'rule-icon';
      icon.setAttribute('aria-hidden', 'true');
      const label = document.createElement('span');
      label.textContent = rule.label;
      const state = document.createElement('span');
      state.className = 'visually-hidden';
      state.textContent = ` (${STATUS_TEXT[status]})`;
      li.append(icon, label, state);
      return li;
    });
  list.replaceChildren(...items);
}
