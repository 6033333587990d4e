// Sign-in page for either portal (the body's data-portal says which).
import { postJson } from '/js/api.js';

const portal = document.body.dataset.portal;
const form = document.getElementById('login-form');
const formError = document.getElementById('form-error');

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  formError.hidden = true;
  const button = form.querySelector('button[type="submit"]');
  button.disabled = true;
  try {
    const result = await postJson(`/api/${portal}/login`, {
      email: form.elements.email.value,
      password: form.elements.password.value,
    });
    location.assign(`/home.html?status=${encodeURIComponent(result.status)}`);
  } catch (error) {
    formError.hidden = false;
    formError.textContent = error.message;
    form.elements.password.select();
  } finally {
    button.disabled = false;
  }
});
document.body.dataset.ready = 'true';
