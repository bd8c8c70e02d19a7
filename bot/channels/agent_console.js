// The agent console (served at /webhooks/agent/console.js; the page allows no inline script).
// Text from customers and agents is only ever set with textContent.
const base = location.pathname.replace(/\/$/, "");
let current = null;
const $ = (id) => document.getElementById(id);
const say = (text) => { $("status").textContent = text; };
async function call(path, options = {}) {
  const response = await fetch(base + path, { ...options, headers: {
    "Authorization": "Bearer " + sessionStorage.token, "X-Candor-Agent": sessionStorage.agent,
    "Content-Type": "application/json" } });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}
function cell(row, text) { const td = document.createElement("td"); td.textContent = text; row.append(td); return td; }
async function showQueue() {
  const waiting = await call("/queue");
  $("queue").replaceChildren(...waiting.map((item) => {
    const row = document.createElement("tr");
    [item.priority, item.reason, item.waiting_minutes + " min", item.channel || ""].forEach((v) => cell(row, v));
    const open = document.createElement("button");
    open.textContent = "Open"; open.onclick = () => showConversation(item.conversation_id);
    cell(row, "").append(open);
    return row;
  }));
  $("queue-view").hidden = false;
  say(waiting.length + " waiting");
}
async function showConversation(id) {
  current = id;
  const { summary, transcript } = await call("/conversations/" + encodeURIComponent(id));
  $("conversation-title").textContent = "Conversation " + id;
  const facts = { "Reason": summary.handoff && summary.handoff.reason, "Status": summary.handoff && summary.handoff.status,
    "Customer": summary.customer || "not signed in", "Distress noted": summary.distress.map((d) => d.category).join(", ") || "none",
    "Recent orders": summary.recent_orders ? summary.recent_orders.map((o) => o.order + " (" + o.status + ")").join(", ") : "not shared (no consent)" };
  $("summary").replaceChildren(...Object.entries(facts).flatMap(([k, v]) => {
    const dt = document.createElement("dt"); dt.textContent = k; const dd = document.createElement("dd"); dd.textContent = v || ""; return [dt, dd]; }));
  $("transcript").replaceChildren(...transcript.map((line) => {
    const li = document.createElement("li"); li.className = line.from.split(" ")[0]; li.textContent = line.from + ": " + line.text; return li; }));
  $("conversation-view").hidden = false;
  $("conversation-title").focus();
}
$("sign-in").onsubmit = async (event) => {
  event.preventDefault();
  sessionStorage.agent = $("agent").value; sessionStorage.token = $("token").value;
  try { await showQueue(); } catch (error) { say(error.message); }
};
$("refresh").onclick = () => showQueue().catch((e) => say(e.message));
$("take").onclick = () => call("/conversations/" + encodeURIComponent(current) + "/take", { method: "POST" })
  .then(() => { say("You have taken this conversation."); return showConversation(current); }).catch((e) => say(e.message));
$("hand-back").onclick = () => call("/conversations/" + encodeURIComponent(current) + "/hand-back", { method: "POST" })
  .then(() => { say("Handed back to the assistant."); return showQueue(); }).catch((e) => say(e.message));
$("reply-form").onsubmit = (event) => {
  event.preventDefault();
  call("/conversations/" + encodeURIComponent(current) + "/reply", { method: "POST", body: JSON.stringify({ text: $("reply").value }) })
    .then((r) => { say("Sent (" + r.delivery + ")."); $("reply").value = ""; return showConversation(current); }).catch((e) => say(e.message));
};
