// Times in the user's zone (not the browser's) and recurrence rules in words.

import { locale, t } from "./i18n.js";

let zone = "UTC";
export function setZone(tz) {
  zone = tz || "UTC";
}
export function userZone() {
  return zone;
}

/** "Fri 4 Dec, 17:00" in the user's zone and language; a date alone for all-day tasks. */
export function formatWhen(iso, allDay = false) {
  if (!iso) return "";
  const options = { weekday: "short", day: "numeric", month: "short" };
  if (allDay) {
    // An all-day due is the date itself: read it as a calendar date, not an instant.
    const [y, m, d] = iso.slice(0, 10).split("-").map(Number);
    return new Intl.DateTimeFormat(locale().intl, { ...options, timeZone: "UTC" })
      .format(new Date(Date.UTC(y, m - 1, d)));
  }
  // Urdu replies use the 24-hour clock; the list says the same time the same way.
  const hour12 = locale().dict === "ur" ? false : undefined;
  return new Intl.DateTimeFormat(locale().intl, {
    ...options, hour: "numeric", minute: "2-digit", hour12, timeZone: zone,
  }).format(new Date(iso));
}

/** The calendar date ("2026-12-04") of an instant in the user's zone. */
export function localDate(instant) {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit",
  }).formatToParts(instant);
  const get = (type) => parts.find((p) => p.type === type).value;
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/** Which list a task belongs in: overdue, today, upcoming, someday (no date) or done. */
export function bucketOf(task, now = new Date()) {
  if (task.status === "done") return "done";
  if (!task.due) return "someday";
  const today = localDate(now);
  const day = task.all_day ? task.due_local.slice(0, 10) : localDate(new Date(task.due));
  if (day < today || (!task.all_day && new Date(task.due) < now)) return "overdue";
  return day === today ? "today" : "upcoming";
}

const DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
const PLURAL = { DAILY: "day", WEEKLY: "week", MONTHLY: "month", YEARLY: "year", HOURLY: "hour" };

/** An RFC 5545 RRULE as words: "every 2 weeks on Monday, Friday; 8 times". */
export function ruleInWords(rrule) {
  const parts = Object.fromEntries(
    String(rrule).replace(/^RRULE:/i, "").split(";").filter(Boolean)
      .map((p) => p.split("=")).map(([k, v]) => [k.toUpperCase(), v ?? ""]),
  );
  const unit = PLURAL[parts.FREQ];
  if (!unit) return String(rrule);
  const interval = Number(parts.INTERVAL || 1);
  const span = interval === 1 ? t(`rr.${unit}`) : t(`rr.${unit}s`, { n: interval });
  const words = [`${t("rr.every")} ${span}`];
  const names = t("rr.days7");
  const nth = t("rr.nth");
  if (parts.BYDAY) {
    const days = parts.BYDAY.split(",");
    const weekdays = ["MO", "TU", "WE", "TH", "FR"];
    if (days.length === 5 && weekdays.every((d) => days.includes(d))) {
      words.push(t("rr.on", { days: t("rr.weekday") }));
    } else {
      const named = days.map((d) => {
        const m = /^([+-]?\d+)?([A-Z]{2})$/.exec(d);
        if (!m) return d;
        const name = names[DAYS.indexOf(m[2])] ?? m[2];
        const n = m[1] ? Number(m[1]) : 0;
        return n ? `${nth[n < 0 ? 0 : Math.min(n, 5)]} ${name}` : name;
      });
      words.push(t("rr.on", { days: named.join(separator()) }));
    }
  }
  if (parts.BYMONTHDAY) {
    words.push(parts.BYMONTHDAY === "-1" ? t("rr.lastDay") : t("rr.onDay", { days: parts.BYMONTHDAY }));
  }
  if (parts.COUNT) words.push(t("rr.times", { n: parts.COUNT }));
  if (parts.UNTIL) {
    const u = parts.UNTIL;
    const iso = `${u.slice(0, 4)}-${u.slice(4, 6)}-${u.slice(6, 8)}`;
    words.push(t("rr.until", { when: formatWhen(iso, true) }));
  }
  return words.join(separator());
}

function separator() {
  return locale().dict === "ur" ? "، " : ", ";
}
