// The header every page shares: links, who is signed in, sign out.

import { logout, requireKey, whoami } from "./api.js";
import { el } from "./dom.js";

const LINKS = [
  ["/alerts", "Alerts"],
  ["/map", "Incident map"],
  ["/suppliers", "Supplier search"],
  ["/feeds", "Feeds"],
];

/** Draw the header and return who the key belongs to ({role, buyer_id}). */
export async function startPage() {
  requireKey();
  const me = await whoami().catch(() => ({ role: null, buyer_id: null }));
  const here = location.pathname;
  const nav = document.getElementById("nav");
  const role = me.role ?? "signed in";
  const who = `${role}${me.buyer_id ? ` · buyer ${me.buyer_id}` : ""}`;
  nav.replaceChildren(
    el("span", { class: "brand", text: "Sourcing monitor" }),
    el(
      "nav",
      {},
      LINKS.map(([href, label]) =>
        el("a", { href, text: label, "aria-current": href === here ? "page" : null }),
      ),
    ),
    el("span", { class: "who", id: "who", text: who }),
    el("button", { type: "button", class: "secondary", id: "logout", text: "Sign out", onclick: logout }),
  );
  return me;
}
