// Whose watches or settings a page shows: a buyer key its own; an admin picks a buyer.

import { api } from "./api.js";
import { el } from "./dom.js";

/** Resolve to the buyer id to show, calling `onChange(id)` when an admin picks another. */
export async function pickBuyer(me, onChange) {
  if (me.role === "buyer") return me.buyer_id;
  if (me.role !== "admin") return null;
  const page = await api("/buyers", { params: { limit: 200 } });
  const select = document.getElementById("buyer");
  select.replaceChildren(...(page.items ?? []).map((b) => el("option", { value: b.id, text: `${b.name} (${b.id})` })));
  document.getElementById("buyer-pick").hidden = false;
  select.addEventListener("change", () => onChange(Number(select.value)));
  const wanted = Number(new URLSearchParams(location.search).get("buyer"));
  if (wanted && [...select.options].some((o) => Number(o.value) === wanted)) select.value = String(wanted);
  return select.value ? Number(select.value) : null;
}
