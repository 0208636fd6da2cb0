// The live feed (/v1/ws): every change to the user's tasks, from any client or consumer, as a
// CloudEvent. A reconnect resumes after the last event seen; the server answers
// {"type": "resync"} when it cannot, and the page then refetches over REST.

const LAST_KEY = "todo.lastEventId";
const MAX_BACKOFF_MS = 10_000;

export class LiveFeed {
  /**
   * @param {() => string | null} token the session's token, read at each (re)connect
   * @param {{event: (e: object) => void, resync: () => void, state: (s: string) => void}} on
   */
  constructor(token, on) {
    this.token = token;
    this.on = on;
    this.socket = null;
    this.backoff = 500;
    this.stopped = true;
    this.timer = null;
  }

  start() {
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.socket) this.socket.close(1000);
    this.socket = null;
  }

  connect() {
    const token = this.token();
    if (this.stopped || !token) return;
    const url = new URL("/v1/ws", window.location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    const last = sessionStorage.getItem(LAST_KEY);
    if (last) url.searchParams.set("last_event_id", last);
    // The token travels as a subprotocol: browsers cannot set headers on a WebSocket, and a
    // query string ends up in access logs.
    const socket = new WebSocket(url, ["bearer", token]);
    this.socket = socket;
    socket.addEventListener("open", () => {
      this.backoff = 500;
      this.on.state("live");
    });
    socket.addEventListener("message", (message) => this.receive(message.data));
    socket.addEventListener("close", () => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.stopped) return;
      this.on.state("reconnecting");
      this.timer = setTimeout(() => this.connect(), this.backoff);
      this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
    });
  }

  receive(text) {
    let event;
    try {
      event = JSON.parse(text);
    } catch {
      return;
    }
    if (event.type === "resync") {
      this.on.resync();
      return;
    }
    if (event.type === "unavailable") {
      this.on.state("unavailable");
      return;
    }
    if (event.id) sessionStorage.setItem(LAST_KEY, event.id);
    this.on.event(event);
  }
}

export function forgetPosition() {
  sessionStorage.removeItem(LAST_KEY);
}
