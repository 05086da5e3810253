// The emulator dashboard's script: live rows, the inbound form, replays.
// Data only ever goes in through textContent, into clones of the page's <template> rows.
"use strict";

(() => {
  const main = document.querySelector("main");
  const live = document.getElementById("live");
  const cursor = { delivery: main.dataset.delivery, seq: main.dataset.seq };

  // The child of `container` whose data-key is `key`, or a new one from the template, put on top.
  function upsert(container, templateId, fields) {
    let node = Array.from(container.children).find((child) => child.dataset.key === fields.key);
    if (!node) {
      node = document.getElementById(templateId).content.firstElementChild.cloneNode(true);
      node.dataset.key = fields.key;
      container.prepend(node);
    }
    for (const slot of node.querySelectorAll("[data-field]")) {
      if (slot.closest("[data-key]") === node) slot.textContent = fields[slot.dataset.field] ?? "";
    }
    return node;
  }

  function apply(changes) {
    const conversations = document.getElementById("conversations");
    for (const fields of changes.conversations) upsert(conversations, "conversation-card", fields);
    for (const fields of changes.messages) {
      const card = Array.from(conversations.children).find((child) => child.dataset.key === fields.conversation);
      if (card) upsert(card.querySelector("tbody[data-rows]"), "message-row", fields);
    }
    const deliveries = document.querySelector("#deliveries tbody[data-rows]");
    for (const fields of changes.deliveries) upsert(deliveries, "delivery-row", fields);
    cursor.delivery = changes.cursor.delivery;
    cursor.seq = changes.cursor.seq;
  }

  let timer = null;
  async function poll() {
    clearTimeout(timer);
    const query = new URLSearchParams(main.dataset.query);
    query.set("delivery", cursor.delivery);
    query.set("seq", cursor.seq);
    try {
      const answer = await fetch(`dashboard/changes?${query}`, { headers: { Accept: "application/json" } });
      if (!answer.ok) throw new Error(`answered ${answer.status}`);
      apply(await answer.json());
      live.textContent = `live · updated ${new Date().toLocaleTimeString()}`;
    } catch (error) {
      live.textContent = `not updating (${error.message}); retrying`;
    }
    timer = setTimeout(poll, Number(main.dataset.poll));
  }

  // POST a form to the emulator; the answer's JSON, or an Error carrying Twilio's message.
  async function post(url, form) {
    const answer = await fetch(url, { method: "POST", body: new URLSearchParams(form) });
    const body = await answer.json().catch(() => ({}));
    if (!answer.ok) throw new Error(body.message || `answered ${answer.status}`);
    return body;
  }

  const inbound = document.getElementById("inbound");
  const result = document.getElementById("inbound-result");
  inbound.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const landed = await post(inbound.action, new FormData(inbound));
      result.textContent = `landed in ${landed.conversation_sid}`;
    } catch (error) {
      result.textContent = error.message;
    }
    poll();
  });

  document.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-replay]");
    if (!button) return;
    const row = button.closest("tr");
    button.disabled = true;
    try {
      const replayed = await post(`deliveries/${row.dataset.key}/replay`, { Token: main.dataset.token });
      button.textContent = `Replayed as #${replayed.number}`;
    } catch (error) {
      button.textContent = `Replay failed: ${error.message}`;
    }
    button.disabled = false;
    poll();
  });

  for (const select of document.querySelectorAll("#filters select")) {
    select.addEventListener("change", () => select.form.submit());
  }

  poll();
})();
