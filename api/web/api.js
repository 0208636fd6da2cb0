// The REST API and the chat stream, with the session's token (kept in sessionStorage: it lives as
// long as the tab, and no other site can read it).

const TOKEN_KEY = "todo.token";

export class ApiError extends Error {
  /** A problem+json answer (RFC 9457) or a network failure (status 0). */
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.code = problemCode(problem.type);
    this.problem = problem;
  }
}

function problemCode(type) {
  // Problem types are URIs ending in a short code, e.g. ".../problems/invalid-credentials".
  if (!type || type === "about:blank") return "";
  return String(type).split("/").pop();
}

export const session = {
  get token() {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  set token(value) {
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
  },
};

let onUnauthorized = () => {};
export function whenUnauthorized(callback) {
  onUnauthorized = callback;
}

async function send(method, path, { body, headers = {} } = {}) {
  const init = { method, headers: { Accept: "application/json", ...headers } };
  if (session.token) init.headers.Authorization = `Bearer ${session.token}`;
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, { title: "network" });
  }
  if (response.status === 401 && session.token) onUnauthorized();
  return response;
}

async function json(method, path, options) {
  const response = await send(method, path, options);
  if (response.status === 204) return null;
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

export const api = {
  register: (email, password, timezone, locale) =>
    json("POST", "/v1/auth/register", { body: { email, password, timezone, locale } }),
  login: (email, password) => json("POST", "/v1/auth/login", { body: { email, password } }),
  me: () => json("GET", "/v1/auth/me"),
  updateMe: (changes) => json("PATCH", "/v1/auth/me", { body: changes }),
  tasks: (params) => json("GET", `/v1/tasks?${new URLSearchParams(params)}`),
  createTask: (task) => json("POST", "/v1/tasks", { body: task }),
  updateTask: (task, changes) =>
    json("PATCH", `/v1/tasks/${task.id}`, { body: changes, headers: ifMatch(task) }),
  completeTask: (task) =>
    json("POST", `/v1/tasks/${task.id}/complete`, { headers: ifMatch(task) }),
  reopenTask: (task) => json("POST", `/v1/tasks/${task.id}/reopen`, { headers: ifMatch(task) }),
  deleteTask: (task) => json("DELETE", `/v1/tasks/${task.id}`, { headers: ifMatch(task) }),
  messages: (conversationId) => json("GET", `/v1/conversations/${conversationId}/messages`),
  locales: async () => {
    // The locales the server accepts, from its own schema: a new one shows up here by itself.
    const schema = await json("GET", "/openapi.json");
    const found = schema?.components?.schemas?.RegisterIn?.properties?.locale?.enum;
    return Array.isArray(found) && found.length ? found : ["en", "ur"];
  },
};

function ifMatch(task) {
  return { "If-Match": `"${task.version}"` };
}

/**
 * One chat turn as server-sent events. `onEvent(name, data)` is called for each event as it
 * arrives (progress, action, question, reply, result, error).
 */
export async function chatStream(message, conversationId, onEvent) {
  const body = { message };
  if (conversationId) body.conversation_id = conversationId;
  const response = await send("POST", "/v1/chat/stream", {
    body,
    headers: { Accept: "text/event-stream" },
  });
  if (!response.ok) {
    throw new ApiError(response.status, await response.json().catch(() => ({})));
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = parseEvent(block);
      if (event) onEvent(event.name, event.data);
    }
  }
}

function parseEvent(block) {
  let name = "message";
  const data = [];
  for (const line of block.split("\n")) {
    if (line.startsWith("event:")) name = line.slice(6).trim();
    else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
  }
  if (!data.length) return null;
  return { name, data: JSON.parse(data.join("\n")) };
}
