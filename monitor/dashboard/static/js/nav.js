// The header every page shares: the links this key's role can use, who is signed in, sign out.

import { logout, requireKey, whoami } from "./api.js";
import { el } from "./dom.js";

// [href, label, the roles that may use the page (null: every role)]
const LINKS = [
  ["/alerts", "Alerts", null],
  ["/map", "Incident map", null],
  ["/suppliers", "Supplier search", null],
  ["/watches", "Watches", ["buyer", "admin"]],
  ["/settings", "Alert settings", ["buyer", "admin"]],
  ["/feeds", "Feeds", ["operator", "admin"]],
];

export const HOME = { operator: "/feeds", viewer: "/map" }; // others: /alerts

/** Draw the header and return who the key belongs to ({role, buyer_id}). */
export async function startPage() {
  requireKey();
  const me = await whoami().catch(() => ({ role: null, buyer_id: null }));
  const here = location.pathname;
  const page = LINKS.find(([href]) => href === here);
  if (me.role && page?.[2] && !page[2].includes(me.role)) {
    location.replace(HOME[me.role] ?? "/alerts"); // a page this role cannot use: not shown
    return new Promise(() => {}); // the page's script stops here
  }
  const nav = document.getElementById("nav");
  const role = me.role ?? "signed in";
  const who = `${role}${me.buyer_id ? ` · buyer ${me.buyer_id}` : ""}`;
  nav.replaceChildren(
    el("span", { class: "brand", text: "Sourcing monitor" }),
    el(
      "nav",
      {},
      LINKS.filter(([, , roles]) => roles === null || roles.includes(me.role)).map(([href, label]) =>
        el("a", { href, text: label, "aria-current": href === here ? "page" : null }),
      ),
    ),
    el("span", { class: "who", id: "who", text: who }),
    el("button", { type: "button", class: "secondary", id: "logout", text: "Sign out", onclick: logout }),
  );
  return me;
}
