// Sign in: email and password → POST /auth/login → token kept in localStorage until it expires.
import { api } from "../api.js";
import { getLang, t } from "../i18n.js";
import { el } from "../ui.js";

export function render({ onLogin }) {
  const error = el("div", { class: "form-error", role: "alert", "data-testid": "login-error" });
  const email = el("input", { id: "login-email", name: "email", type: "email", autocomplete: "username", required: true, "data-testid": "login-email" });
  const password = el("input", { id: "login-password", name: "password", type: "password", autocomplete: "current-password", required: true, "data-testid": "login-password" });
  const submit = el("button", { class: "btn btn-primary btn-block", type: "submit", "data-testid": "login-submit", text: t("login.submit") });
  const form = el(
    "form",
    {
      class: "login-form",
      onsubmit: async (event) => {
        event.preventDefault();
        error.textContent = "";
        submit.disabled = true;
        try {
          const result = await api.post("/auth/login", { email: email.value.trim(), password: password.value });
          await onLogin(result);
        } catch (failure) {
          error.textContent = failure.status === 401 || failure.status === 400 ? t("login.invalid") : `${t("state.error")} ${failure.message}`;
        } finally {
          submit.disabled = false;
        }
      },
    },
    el("label", { for: "login-email", text: t("login.email") }),
    email,
    el("label", { for: "login-password", text: t("login.password") }),
    password,
    error,
    submit,
  );
  const languages = el(
    "div",
    { class: "login-lang", role: "group", "aria-label": t("app.language") },
    [
      ["zh", "中文"],
      ["en", "English"],
    ].map(([code, name]) =>
      el("button", {
        type: "button",
        class: `link-btn ${getLang() === code ? "active" : ""}`,
        "data-testid": `login-lang-${code}`,
        "aria-pressed": String(getLang() === code),
        text: name,
        onclick: () => {
          const select = document.getElementById("lang-select");
          select.value = code;
          select.dispatchEvent(new Event("change"));
        },
      }),
    ),
  );
  return el(
    "div",
    { class: "login-page" },
    el(
      "div",
      { class: "login-card" },
      el("div", { class: "login-brand" }, el("span", { class: "logo logo-lg", "aria-hidden": "true" }), el("div", {}, el("h1", { text: t("app.name") }), el("p", { class: "muted", text: t("login.tagline") }))),
      el("h2", { text: t("login.title") }),
      form,
      languages,
    ),
    el("p", { class: "login-foot muted", text: t("login.footer") }),
  );
}
