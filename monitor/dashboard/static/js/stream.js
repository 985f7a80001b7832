// Server-Sent Events read with fetch, so the key travels in the Authorization header like every
// other call (EventSource cannot send headers; a key in the URL would land in access logs).

import { authHeaders } from "./api.js";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Parse an event stream body, calling onEvent(type, data, id) per complete event. */
async function readEvents(body, onEvent) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let event = { type: "message", data: [], id: null };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    const lines = buffer.split("\n");
    buffer = lines.pop();
    for (const raw of lines) {
      const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
      if (line === "") {
        if (event.data.length) onEvent(event.type, event.data.join("\n"), event.id);
        event = { type: "message", data: [], id: null };
        continue;
      }
      if (line.startsWith(":")) continue; // a keep-alive comment
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "event") event.type = value;
      else if (field === "data") event.data.push(value);
      else if (field === "id") event.id = value;
    }
  }
}

/**
 * Follow `path` (under /api/v1) as an event stream, reconnecting with back-off.
 * onState gets "live", "reconnecting" or "refused". Returns a function that stops it.
 */
export function follow(path, onEvent, onState = () => {}) {
  let stopped = false;
  let controller = null;
  let lastId = null;
  (async () => {
    let delay = 1000;
    while (!stopped) {
      controller = new AbortController();
      try {
        const extra = { Accept: "text/event-stream" };
        if (lastId) extra["Last-Event-ID"] = lastId;
        const response = await fetch(`/api/v1${path}`, {
          headers: authHeaders(extra),
          signal: controller.signal,
          cache: "no-store",
        });
        if (response.status === 401 || response.status === 403) {
          onState("refused");
          return;
        }
        if (response.ok && response.body) {
          onState("live");
          delay = 1000;
          await readEvents(response.body, (type, data, id) => {
            if (id) lastId = id;
            onEvent(type, data);
          });
        }
      } catch {
        // the connection dropped or was aborted: retry below unless stopped
      }
      if (stopped) return;
      onState("reconnecting");
      await sleep(delay);
      delay = Math.min(delay * 2, 30000);
    }
  })();
  return () => {
    stopped = true;
    controller?.abort();
  };
}
