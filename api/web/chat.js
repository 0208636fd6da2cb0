// The chat panel: one conversation that continues across turns; each turn streams its progress
// and reply; a clarifying question offers its answers (or confirm / cancel) as buttons.

import { chatStream } from "./api.js";
import { t } from "./i18n.js";

const CONVERSATION_KEY = "todo.conversation";

export class ChatPanel {
  constructor(root, { onChange, onError }) {
    this.list = root.querySelector("#messages");
    this.progress = root.querySelector("#progress");
    this.quick = root.querySelector("#quick-replies");
    this.form = root.querySelector("#chat-form");
    this.input = root.querySelector("#chat-input");
    this.onChange = onChange;
    this.onError = onError;
    this.busy = false;
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      this.send(this.input.value);
    });
    this.input.addEventListener("keydown", (e) => {
      // Enter sends, Shift+Enter starts a new line (as in every chat).
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.send(this.input.value);
      }
    });
    root.querySelector("#new-chat").addEventListener("click", () => this.reset());
  }

  get conversation() {
    return sessionStorage.getItem(CONVERSATION_KEY);
  }

  set conversation(id) {
    if (id) sessionStorage.setItem(CONVERSATION_KEY, id);
    else sessionStorage.removeItem(CONVERSATION_KEY);
  }

  reset() {
    this.conversation = null;
    this.list.replaceChildren();
    this.clearQuick();
    this.progress.textContent = "";
    this.input.focus();
  }

  async send(text, shown = text) {
    const message = text.trim();
    if (!message || this.busy) return;
    this.busy = true;
    this.form.querySelector("button").disabled = true;
    this.clearQuick();
    this.input.value = "";
    this.bubble("user", shown.trim());
    const reply = this.bubble("assistant", "");
    reply.setAttribute("aria-busy", "true");
    try {
      await chatStream(message, this.conversation, (name, data) => this.event(name, data, reply));
    } catch (error) {
      this.onError(error);
      if (!reply.querySelector(".text").textContent) reply.remove();
    } finally {
      reply.removeAttribute("aria-busy");
      this.progress.textContent = "";
      this.busy = false;
      this.form.querySelector("button").disabled = false;
      if (!this.quick.hidden) this.quick.querySelector("button")?.focus();
      else this.input.focus();
    }
  }

  event(name, data, reply) {
    const text = reply.querySelector(".text");
    switch (name) {
      case "progress":
        this.progress.textContent = t(`stage.${data.stage}`);
        break;
      case "action":
        this.onChange(); // the list follows at once; the live feed confirms it
        break;
      case "reply":
        text.textContent = data.text;
        reply.lang = data.language;
        break;
      case "question":
        text.textContent = data.text;
        this.offer(data);
        break;
      case "result":
        this.conversation = data.conversation_id;
        if (!text.textContent) text.textContent = data.reply;
        break;
      case "error":
        text.textContent = data.text;
        reply.classList.add("failed");
        break;
      default:
        break;
    }
    this.list.lastElementChild?.scrollIntoView({ block: "end" });
  }

  offer(question) {
    const buttons = question.options.map((option, i) => {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = option.label;
      b.dir = "auto";
      if (question.confirm) b.className = i === 0 ? (question.bulk ? "danger" : "") : "secondary";
      else b.className = "secondary";
      b.addEventListener("click", () => this.send(option.value, option.label));
      return b;
    });
    if (!buttons.length) return;
    this.quick.replaceChildren(this.quick.querySelector("#quick-label"), ...buttons);
    this.quick.hidden = false;
  }

  clearQuick() {
    this.quick.replaceChildren(this.quick.querySelector("#quick-label"));
    this.quick.hidden = true;
  }

  bubble(role, text) {
    const li = document.createElement("li");
    li.className = `msg ${role}`;
    const who = document.createElement("span");
    who.className = "sr-only";
    who.textContent = `${t(role === "user" ? "you" : "assistant")}: `;
    const body = document.createElement("p");
    body.className = "text";
    body.dir = "auto";
    body.textContent = text;
    li.append(who, body);
    this.list.append(li);
    li.scrollIntoView({ block: "end" });
    return li;
  }
}
