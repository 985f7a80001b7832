// Sign in with an API key: check it against the API, keep it for this tab, open the right page.

import { ApiError, getKey, setKey, whoami } from "./api.js";
import { say } from "./dom.js";
import { HOME } from "./nav.js";

async function signIn(event) {
  event.preventDefault();
  const key = document.getElementById("key").value.trim();
  if (!key) return say("Paste an API key first.", "error");
  setKey(key);
  try {
    const me = await whoami(); // refused keys fail here
    location.assign(HOME[me.role] ?? "/alerts");
  } catch (error) {
    sessionStorage.clear();
    const refused = error instanceof ApiError && (error.status === 401 || error.status === 403);
    say(refused ? "That key was refused." : `Cannot reach the API: ${error.message}`, "error");
  }
}

document.getElementById("login").addEventListener("submit", signIn);
if (getKey()) say("A key is kept for this tab; sign in again to replace it.");
