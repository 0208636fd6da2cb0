// The task list: overdue, today, upcoming, no date and done, filtered by tag and priority;
// complete, edit, delete and add inline, all through /v1/tasks.

import { api } from "./api.js";
import { bucketOf, formatWhen, ruleInWords, userZone } from "./format.js";
import { t } from "./i18n.js";

const GROUPS = ["overdue", "today", "upcoming", "someday", "done"];
const PAGE = 200;

export class TaskList {
  constructor(root, { onError }) {
    this.root = root;
    this.groups = root.querySelector("#groups");
    this.template = document.getElementById("task-template");
    this.tagFilter = root.querySelector("#filter-tag");
    this.priorityFilter = root.querySelector("#filter-priority");
    this.onError = onError;
    this.tasks = [];
    this.editing = null;
    this.loading = null;
    this.again = false;
    this.tagFilter.addEventListener("change", () => this.render());
    this.priorityFilter.addEventListener("change", () => this.render());
    root.querySelector("#add-task").addEventListener("submit", (e) => this.add(e));
  }

  /** Refetch the list; calls that arrive during a fetch are folded into one more fetch. */
  async refresh() {
    if (this.loading) {
      this.again = true;
      return this.loading;
    }
    this.loading = (async () => {
      do {
        this.again = false;
        try {
          const [open, done] = await Promise.all([
            allPages({ status: "open" }),
            api.tasks({ status: "done", limit: 50 }).then((page) => page.items),
          ]);
          this.tasks = [...open, ...done];
          this.render();
        } catch (error) {
          this.onError(error);
        }
      } while (this.again);
      this.loading = null;
    })();
    return this.loading;
  }

  relabel() {
    fillPriorities(this.priorityFilter, t("allPriorities"));
    fillPriorities(this.root.querySelector("#new-priority"), null);
    this.render();
  }

  render() {
    const tag = this.tagFilter.value;
    const priority = Number(this.priorityFilter.value || 0);
    this.fillTags();
    const shown = this.tasks.filter(
      (task) => (!tag || task.tags.includes(tag)) && (!priority || task.priority === priority),
    );
    const byGroup = Object.fromEntries(GROUPS.map((g) => [g, []]));
    const now = new Date();
    for (const task of shown) byGroup[bucketOf(task, now)].push(task);
    const focused = document.activeElement?.closest?.("[data-task-id]")?.dataset.taskId;
    this.groups.replaceChildren(
      ...GROUPS.filter((g) => g !== "someday" || byGroup[g].length).map((g) =>
        this.group(g, sortTasks(byGroup[g], g))),
    );
    if (focused) this.groups.querySelector(`[data-task-id="${focused}"] .done`)?.focus();
  }

  fillTags() {
    const chosen = this.tagFilter.value;
    const tags = [...new Set(this.tasks.flatMap((task) => task.tags))].sort();
    const options = [new Option(t("allTags"), ""), ...tags.map((tag) => new Option(`#${tag}`, tag))];
    this.tagFilter.replaceChildren(...options);
    this.tagFilter.value = tags.includes(chosen) ? chosen : "";
  }

  group(name, tasks) {
    const section = document.createElement("section");
    section.className = `group group-${name}`;
    section.dataset.group = name;
    const heading = document.createElement("h3");
    heading.id = `group-${name}`;
    heading.textContent = `${t(name)} (${tasks.length})`;
    section.setAttribute("aria-labelledby", heading.id);
    const list = document.createElement("ul");
    list.className = "task-list";
    if (!tasks.length) {
      const empty = document.createElement("li");
      empty.className = "empty";
      empty.textContent = t("empty");
      list.append(empty);
    }
    for (const task of tasks) list.append(this.item(task));
    section.append(heading, list);
    return section;
  }

  item(task) {
    if (this.editing === task.id) return this.editor(task);
    const li = this.template.content.firstElementChild.cloneNode(true);
    li.dataset.taskId = task.id;
    li.classList.add(`p${task.priority}`);
    const done = task.status === "done";
    const box = li.querySelector(".done");
    box.checked = done;
    box.setAttribute("aria-label", t(done ? "reopen" : "complete", { title: task.title }));
    box.addEventListener("change", () => this.act(done ? api.reopenTask : api.completeTask, task));
    li.querySelector(".title").textContent = task.title;
    li.querySelector(".meta").replaceChildren(...meta(task));
    const edit = li.querySelector(".edit");
    edit.textContent = t("edit");
    edit.setAttribute("aria-label", `${t("edit")}: ${task.title}`);
    edit.addEventListener("click", () => this.edit(task.id));
    const remove = li.querySelector(".delete");
    remove.textContent = t("delete");
    remove.setAttribute("aria-label", `${t("delete")}: ${task.title}`);
    remove.addEventListener("click", () => {
      if (window.confirm(t("deleteConfirm", { title: task.title }))) this.act(api.deleteTask, task);
    });
    return li;
  }

  editor(task) {
    const li = document.createElement("li");
    li.className = "task editing";
    li.dataset.taskId = task.id;
    const form = document.createElement("form");
    form.className = "edit-form";
    const title = field(form, t("titleLabel"), "input", { value: task.title, required: true, maxLength: 500, dir: "auto" });
    const due = field(form, t("due"), "input", {
      type: task.all_day ? "date" : "datetime-local",
      value: task.due_local ? task.due_local.slice(0, task.all_day ? 10 : 16) : "",
    });
    const priority = field(form, t("priority"), "select", {});
    fillPriorities(priority, null);
    priority.value = String(task.priority);
    const tags = field(form, t("tagsLabel"), "input", { value: task.tags.join(", "), dir: "auto" });
    const row = document.createElement("div");
    row.className = "row";
    const save = button(t("save"), "submit");
    const cancel = button(t("cancel"), "button", "secondary");
    cancel.addEventListener("click", () => this.edit(null));
    row.append(save, cancel);
    form.append(row);
    form.addEventListener("keydown", (e) => {
      if (e.key === "Escape") this.edit(null);
    });
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const changes = {
        title: title.value.trim(),
        priority: Number(priority.value),
        tags: tags.value.split(",").map((s) => s.trim().replace(/^#/, "")).filter(Boolean),
      };
      if (due.value) changes[task.all_day ? "due_date" : "due"] = due.value;
      else if (task.due) changes.due = null;
      this.editing = null;
      await this.act((tk) => api.updateTask(tk, changes), task);
    });
    li.append(form);
    queueMicrotask(() => title.focus());
    return li;
  }

  edit(taskId) {
    const previous = this.editing;
    this.editing = taskId;
    this.render();
    if (!taskId && previous) this.groups.querySelector(`[data-task-id="${previous}"] .edit`)?.focus();
  }

  async act(call, task) {
    try {
      await call(task);
    } catch (error) {
      this.onError(error);
    }
    await this.refresh();
  }

  async add(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const title = form.elements.title.value.trim();
    if (!title) return;
    const task = { title, priority: Number(form.elements.priority.value) };
    if (form.elements.due.value) task.due = form.elements.due.value; // the user's wall clock
    try {
      await api.createTask(task);
      form.reset();
      form.elements.priority.value = "4";
    } catch (error) {
      this.onError(error);
    }
    await this.refresh();
    form.elements.title.focus();
  }
}

async function allPages(params) {
  const items = [];
  let cursor = null;
  do {
    const page = await api.tasks({ ...params, limit: PAGE, ...(cursor ? { cursor } : {}) });
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor && items.length < 5 * PAGE);
  return items;
}

function sortTasks(tasks, group) {
  const due = (task) => (task.due ? Date.parse(task.due) : Infinity);
  if (group === "done") {
    return tasks.sort((a, b) => Date.parse(b.completed_at || 0) - Date.parse(a.completed_at || 0));
  }
  return tasks.sort((a, b) => due(a) - due(b) || a.priority - b.priority);
}

function meta(task) {
  const parts = [];
  const add = (text, cls) => {
    const span = document.createElement("span");
    span.className = cls;
    span.textContent = text;
    parts.push(span);
  };
  if (task.priority < 4) add(t(`p${task.priority}`), `priority p${task.priority}`);
  if (task.recurrence) {
    add(t("repeats", { rule: ruleInWords(task.recurrence.rrule) }), "rule");
    if (task.due) add(t("next", { when: formatWhen(task.due_local || task.due, task.all_day) }), "due");
  } else if (task.due) {
    const when = document.createElement("time");
    when.className = "due";
    when.dateTime = task.due;
    when.title = userZone();
    when.textContent = formatWhen(task.all_day ? task.due_local : task.due, task.all_day);
    parts.push(when);
  }
  for (const tag of task.tags) add(`#${tag}`, "tag");
  return parts;
}

function fillPriorities(select, allLabel) {
  const chosen = select.value;
  const options = [1, 2, 3, 4].map((p) => new Option(t(`p${p}`), String(p)));
  if (allLabel) options.unshift(new Option(allLabel, ""));
  select.replaceChildren(...options);
  select.value = chosen || (allLabel ? "" : "4");
}

function field(form, labelText, tag, props) {
  const label = document.createElement("label");
  const span = document.createElement("span");
  span.textContent = labelText;
  const input = document.createElement(tag);
  Object.assign(input, props);
  label.append(span, input);
  form.append(label);
  return input;
}

function button(text, type, cls = "") {
  const b = document.createElement("button");
  b.type = type;
  b.textContent = text;
  if (cls) b.className = cls;
  return b;
}
