// The page: sign in or up, then the chat beside the task list, kept live by the feed.

import { api, ApiError, session, whenUnauthorized } from "./api.js";
import { ChatPanel } from "./chat.js";
import { formatWhen, setZone } from "./format.js";
import { localeName, setLocale, t } from "./i18n.js";
import { forgetPosition, LiveFeed } from "./live.js";
import { TaskList } from "./tasks.js";

const $ = (selector) => document.querySelector(selector);
const NOTICE_MS = 15_000;

let user = null;
let tasks = null;
let chat = null;
let feed = null;

function notice(text, { kind = "info", detail = "" } = {}) {
  const box = document.createElement("div");
  box.className = `notice ${kind}`;
  box.setAttribute("role", kind === "error" ? "alert" : "status");
  const body = document.createElement("p");
  body.dir = "auto";
  body.textContent = text;
  box.append(body);
  if (detail) {
    const more = document.createElement("p");
    more.className = "detail";
    more.textContent = detail;
    box.append(more);
  }
  const close = document.createElement("button");
  close.type = "button";
  close.className = "quiet";
  close.textContent = t("dismiss");
  close.addEventListener("click", () => box.remove());
  box.append(close);
  $("#notices").append(box);
  setTimeout(() => box.remove(), NOTICE_MS);
}

/** An error as the user reads it: in their language, never a stack trace or an id. */
function explain(error) {
  if (!(error instanceof ApiError)) return t("error.generic");
  if (error.status === 0) return t("error.network");
  if (error.status === 422 && Array.isArray(error.problem.errors)) {
    const field = String(error.problem.errors[0]?.field || "").split(".")[0];
    const specific = t(`field.${field}`);
    return specific === `field.${field}` ? t("error.validation") : specific;
  }
  const known = t(`error.${error.code}`);
  return known === `error.${error.code}` ? t("error.generic") : known;
}

function showError(error) {
  notice(explain(error), { kind: "error" });
}

function signedOut(reason) {
  session.token = null;
  sessionStorage.clear();
  forgetPosition();
  feed?.stop();
  user = null;
  $("#app").hidden = true;
  $("#auth").hidden = false;
  $("#sign-out").hidden = true;
  $("#live-state").hidden = true;
  if (reason) $("#auth-error").textContent = reason;
  $("#email").focus();
}

async function authenticate(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const action = event.submitter?.value || "login";
  const email = form.elements.email.value.trim();
  const password = form.elements.password.value;
  $("#auth-error").textContent = "";
  try {
    if (action === "register") {
      const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
      await api.register(email, password, zone, $("#language").value);
    }
    const token = await api.login(email, password);
    session.token = token.access_token;
    form.reset();
    await start();
  } catch (error) {
    $("#auth-error").textContent = explain(error);
  }
}

async function start() {
  user = await api.me();
  setZone(user.timezone);
  relabel(user.locale);
  $("#auth").hidden = true;
  $("#app").hidden = false;
  $("#sign-out").hidden = false;
  await Promise.all([tasks.refresh(), restoreConversation()]);
  feed = new LiveFeed(() => session.token, {
    event: onLiveEvent,
    resync: () => tasks.refresh(),
    state: (state) => {
      const badge = $("#live-state");
      badge.hidden = state === "unavailable";
      badge.dataset.state = state;
      badge.textContent = t(state === "live" ? "live" : "reconnecting");
    },
  });
  feed.start();
  $("#chat-input").focus();
}

async function restoreConversation() {
  const id = chat.conversation;
  if (!id) return;
  try {
    for (const message of await api.messages(id)) chat.bubble(message.role, message.content);
  } catch {
    chat.conversation = null; // forgotten meanwhile: start a new one
  }
}

function onLiveEvent(event) {
  if (event.type === "reminder.fired") {
    const data = event.data || {};
    notice(t("reminder", { title: data.title || "" }), {
      kind: "reminder",
      detail: data.due ? t("reminderDue", { when: formatWhen(data.due) }) : "",
    });
    return;
  }
  if (String(event.type).startsWith("task.")) tasks.refresh();
}

function relabel(localeCode) {
  setLocale(localeCode);
  $("#language").value = localeCode;
  tasks.relabel();
  const badge = $("#live-state");
  if (badge.dataset.state) badge.textContent = t(badge.dataset.state === "live" ? "live" : "reconnecting");
}

async function changeLanguage(event) {
  const chosen = event.currentTarget.value;
  relabel(chosen);
  if (!user) return;
  try {
    user = await api.updateMe({ locale: chosen });
  } catch (error) {
    showError(error);
  }
}

async function fillLanguages() {
  let locales = ["en", "ur"];
  try {
    locales = await api.locales();
  } catch {
    // The schema is a nicety; English and Urdu are always there.
  }
  const select = $("#language");
  const chosen = select.value;
  select.replaceChildren(...locales.map((code) => {
    const option = new Option(localeName(code), code);
    option.lang = code;
    return option;
  }));
  select.value = locales.includes(chosen) ? chosen : locales[0];
}

async function boot() {
  tasks = new TaskList($(".tasks"), { onError: showError });
  chat = new ChatPanel($(".chat"), { onChange: () => tasks.refresh(), onError: showError });
  whenUnauthorized(() => signedOut(t("error.session")));
  $("#auth-form").addEventListener("submit", authenticate);
  $("#language").addEventListener("change", changeLanguage);
  $("#sign-out").addEventListener("click", () => signedOut(""));
  // Before sign-in the page follows the browser's language.
  const browser = navigator.language?.startsWith("ur") ? "ur" : "en";
  await fillLanguages();
  relabel(browser);
  if (!session.token) {
    signedOut("");
    return;
  }
  try {
    await start();
  } catch {
    signedOut(t("error.session"));
  }
}

boot();
