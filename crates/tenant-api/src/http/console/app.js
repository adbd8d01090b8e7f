// tenant-api console. With the Backend-for-Frontend (settings.bff, the default) the server signs
// the browser in (/auth/login) and keeps the tokens: this page holds none, and calls the API with
// the HttpOnly session cookie and the X-CSRF header. Without it, the page signs in through the
// Hosted UI itself (authorization code + PKCE S256 + state) and calls the API with the access
// token, kept in memory only; the PKCE verifier and state wait in sessionStorage meanwhile.
// A person with several tenants switches between them (header mode); a tenant's active admin
// also sees its members (invite, change role, suspend, reactivate, remove) and its audit log.
"use strict";

const PAGE_SIZE = 10;
const session = { settings: null, tokens: null, claims: null, tenant: null, tenants: [] };
const pages = { items: [null], alerts: [null], members: [null], audit: [null] };
// Member emails by sub, from the member list, so the audit log can name people.
const emails = new Map();

const $ = (id) => document.getElementById(id);

function show(id, visible) { $(id).hidden = !visible; }

function say(text, kind) {
  const box = $("message");
  box.textContent = text || "";
  box.className = kind === "info" ? "info" : "";
  box.hidden = !text;
}

function base64url(bytes) {
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function randomString() {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

function claimsOf(jwt) {
  const part = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
  const bytes = Uint8Array.from(atob(part), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

function redirectUri() {
  return location.origin + session.settings.callback_path;
}

async function signIn() {
  const s = session.settings;
  if (s.bff) {
    location.assign("/auth/login?return_to=/");
    return;
  }
  const verifier = randomString();
  const state = randomString();
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  sessionStorage.setItem("pkce", JSON.stringify({ verifier, state }));
  const url = new URL(s.hosted_ui + "/oauth2/authorize");
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: s.client_id,
    redirect_uri: redirectUri(),
    scope: s.scope,
    state,
    code_challenge: base64url(new Uint8Array(digest)),
    code_challenge_method: "S256",
  }).toString();
  location.assign(url.toString());
}

async function finishSignIn(params) {
  const saved = JSON.parse(sessionStorage.getItem("pkce") || "null");
  sessionStorage.removeItem("pkce");
  history.replaceState(null, "", "/");
  if (params.get("error")) {
    throw new Error("Sign-in did not complete: " + (params.get("error_description") || params.get("error")));
  }
  if (!saved || saved.state !== params.get("state")) {
    throw new Error("This sign-in was not started here (state mismatch). Please sign in again.");
  }
  const s = session.settings;
  const response = await fetch(s.hosted_ui + "/oauth2/token", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      client_id: s.client_id,
      code: params.get("code") || "",
      redirect_uri: redirectUri(),
      code_verifier: saved.verifier,
    }),
  });
  if (!response.ok) throw new Error("The sign-in code could not be exchanged. Please sign in again.");
  const tokens = await response.json();
  session.tokens = { access: tokens.access_token, id: tokens.id_token };
  session.claims = claimsOf(tokens.id_token);
  session.tenant = session.claims[s.tenant_claim] || null;
}

function describeError(status, body) {
  const code = body && body.code;
  if (status === 401) return "Your session has ended. Please sign in again.";
  if (code === "tenant_mismatch") return "Access denied: your account does not belong to tenant \u201c" + session.tenant + "\u201d.";
  if (code === "tenant_not_proven") return "Access denied: your tenant could not be verified. Ask an administrator to check your account.";
  if (code === "tenant_required") return "Your account has no tenant yet. Ask an administrator to assign one.";
  if (code === "tenant_suspended") return "Access to this tenant was suspended. Ask one of its admins to reactivate you.";
  if (code === "not_tenant_admin") return "Only the tenant's admins can do that.";
  if (body && body.message) return body.message;
  return "The request failed (HTTP " + status + ").";
}

async function api(method, path, body) {
  const s = session.settings;
  const headers = s.bff ? { "X-CSRF": "1" } : { Authorization: "Bearer " + session.tokens.access };
  if (s.tenant_header && session.tenant) headers[s.tenant_header] = session.tenant;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  let data = null;
  if (response.status !== 204) data = await response.json().catch(() => null);
  if (!response.ok) {
    if (response.status === 401) signedOutView();
    throw new Error(describeError(response.status, data));
  }
  return { data, next: response.headers.get("X-Next-Cursor") };
}

function button(label, onClick, extraClass) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = label;
  if (extraClass) b.className = extraClass;
  b.addEventListener("click", () => run(onClick));
  return b;
}

function row(name, meta, buttons) {
  const li = document.createElement("li");
  const n = document.createElement("span");
  n.className = "name";
  n.textContent = name;
  const m = document.createElement("span");
  m.className = "meta";
  m.textContent = meta;
  li.append(n, m, ...buttons);
  return li;
}

const lists = {
  items: { path: "/api/items/", row: (item) => itemRow(item) },
  alerts: { path: "/api/alerts/", row: (alert) => alertRow(alert) },
  members: { path: "/api/tenant/members", row: (member) => memberRow(member) },
  audit: { path: "/api/tenant/audit", row: (entry) => auditRow(entry) },
};

async function loadList(kind) {
  const cursors = pages[kind];
  const cursor = cursors[cursors.length - 1];
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (cursor) query.set("cursor", cursor);
  const { data, next } = await api("GET", lists[kind].path + "?" + query.toString());
  const list = $(kind);
  list.replaceChildren(...data.map(lists[kind].row));
  if ($(kind + "-empty")) show(kind + "-empty", data.length === 0 && cursors.length === 1);
  show(kind + "-first", cursors.length > 1);
  const nextButton = $(kind + "-next");
  nextButton.hidden = !next;
  nextButton.dataset.cursor = next || "";
}

function itemRow(item) {
  return row(item.name, "#" + item.id, [
    button("Rename", async () => {
      const name = prompt("New name for \u201c" + item.name + "\u201d", item.name);
      if (name === null || name.trim() === "") return;
      await api("PUT", "/api/items/" + item.id, { name: name.trim() });
      await loadList("items");
      say("Item renamed.", "info");
    }),
    button("Delete", async () => {
      if (!confirm("Delete \u201c" + item.name + "\u201d?")) return;
      await api("DELETE", "/api/items/" + item.id);
      await loadList("items");
      say("Item deleted.", "info");
    }, "danger"),
  ]);
}

function alertRow(alert) {
  const state = alert.acknowledged_at ? "acknowledged" : "open";
  const buttons = alert.acknowledged_at ? [] : [button("Acknowledge", async () => {
    await api("POST", "/api/alerts/" + alert.id + "/ack");
    await loadList("alerts");
    say("Alert acknowledged.", "info");
  })];
  return row(alert.title, alert.severity + " \u00b7 " + state, buttons);
}

const ACTIONS = {
  "member.invited": (e) => "invited " + who(e.target) + (e.detail ? " as " + e.detail : ""),
  "member.role_changed": (e) => "made " + who(e.target) + " " + (e.detail === "admin" ? "an admin" : "a member"),
  "member.suspended": (e) => "suspended " + who(e.target),
  "member.reactivated": (e) => "reactivated " + who(e.target),
  "member.removed": (e) => "removed " + who(e.target) + (e.detail === "cognito_user_deleted" ? " (account deleted)" : ""),
  "user.signed_in": () => "signed in",
  "user.signed_out": () => "signed out",
};

function who(sub) {
  return sub === session.claims.sub ? "you" : emails.get(sub) || sub;
}

function auditRow(entry) {
  const text = (ACTIONS[entry.action] || ((e) => e.action + " " + who(e.target)))(entry);
  const actor = entry.actor_sub === session.claims.sub ? "You" : emails.get(entry.actor_sub) || entry.actor_sub;
  const li = row(actor + " " + text, new Date(entry.at).toLocaleString(), []);
  li.title = "Request " + entry.request_id;
  return li;
}

function memberRow(member) {
  emails.set(member.sub, member.email);
  const you = member.sub === session.claims.sub;
  const path = "/api/tenant/members/" + encodeURIComponent(member.sub);
  const tenant = "\u201c" + session.tenant + "\u201d";
  const toRole = member.role === "admin" ? "member" : "admin";
  const buttons = [
    button(toRole === "admin" ? "Make admin" : "Make member", async () => {
      if (!confirm("Make " + member.email + (toRole === "admin" ? " an admin" : " a member") + " of " + tenant + "?")) return;
      await api("PATCH", path, { role: toRole });
      await afterMemberChange(member.email + " is now " + (toRole === "admin" ? "an admin." : "a member."));
    }),
    member.state === "suspended"
      ? button("Reactivate", async () => {
        await api("POST", path + "/reactivate");
        await afterMemberChange(member.email + " can use " + tenant + " again.");
      })
      : button("Suspend", async () => {
        if (!confirm("Suspend " + member.email + "? Their access to " + tenant + " ends at once; their other tenants are not affected.")) return;
        await api("POST", path + "/suspend");
        await afterMemberChange(member.email + " was suspended.");
      }, "danger"),
    button("Remove", async () => {
      if (!confirm("Remove " + member.email + " from " + tenant + "? Their account is deleted too if they belong to no other tenant.")) return;
      const { data } = await api("DELETE", path);
      await afterMemberChange(member.email + " was removed" + (data.cognito_user_deleted
        ? "; their account was deleted, as they belonged to no other tenant." : " from this tenant."));
    }, "danger"),
  ];
  const li = row(member.email + (you ? " (you)" : ""), member.role, buttons);
  const badge = document.createElement("span");
  badge.className = "badge " + member.state;
  badge.textContent = member.state;
  li.querySelector(".meta").after(badge);
  return li;
}

async function afterMemberChange(message) {
  await loadTenants();
  await showTenant(true);
  say(message, "info");
}

async function loadTenants() {
  const { data } = await api("GET", "/api/user/tenants");
  session.tenants = data;
}

// The tenant to show: the one chosen earlier in this tab, else the home tenant, else the first
// one not suspended.
function chooseTenant() {
  const names = session.tenants.map((t) => t.tenant);
  const saved = sessionStorage.getItem("tenant");
  if (saved && names.includes(saved)) {
    session.tenant = saved;
  } else if (!names.includes(session.tenant)) {
    const pick = session.tenants.find((t) => t.home) || session.tenants.find((t) => t.state !== "suspended");
    if (pick) session.tenant = pick.tenant;
  }
  const choice = $("tenant-choice");
  choice.replaceChildren(...session.tenants.map((t) => {
    const option = document.createElement("option");
    option.value = t.tenant;
    const notes = [t.role].concat(t.home ? ["home"] : [], t.state === "suspended" ? ["suspended"] : []);
    option.textContent = t.tenant + " (" + notes.join(", ") + ")";
    option.selected = t.tenant === session.tenant;
    return option;
  }));
  show("switch-tenant", Boolean(session.settings.tenant_header) && session.tenants.length > 1);
}

// Shows the current tenant: its items and alerts, and to its active admins its members and
// audit log. `keepPages` stays on the member and audit pages being looked at.
async function showTenant(keepPages) {
  const mine = session.tenants.find((t) => t.tenant === session.tenant);
  $("fact-tenant").textContent = session.tenant || "(none)";
  $("fact-role").textContent = mine ? mine.role + (mine.state === "suspended" ? " (suspended)" : "") : "";
  show("role-label", Boolean(mine));
  show("fact-role", Boolean(mine));
  const admin = Boolean(mine && mine.role === "admin" && mine.state !== "suspended");
  show("members-panel", admin);
  if (!keepPages) {
    for (const kind of Object.keys(pages)) pages[kind] = [null];
  }
  await loadList("items");
  await loadList("alerts");
  if (admin) {
    await loadList("members");
    await loadList("audit");
  }
}

async function signedInView() {
  const c = session.claims;
  $("who-email").textContent = c.email || c["cognito:username"] || c.sub;
  $("fact-email").textContent = c.email || "(none)";
  $("fact-sub").textContent = c.sub;
  show("signed-out", false);
  show("who", true);
  show("signed-in", true);
  await loadTenants();
  chooseTenant();
  await showTenant(false);
}

function signedOutView() {
  session.tokens = null;
  show("members-panel", false);
  show("who", false);
  show("signed-in", false);
  show("signed-out", true);
}

async function signOut() {
  const s = session.settings;
  if (s.bff) {
    const response = await fetch("/auth/logout", { method: "POST", headers: { "X-CSRF": "1" } });
    const data = await response.json().catch(() => null);
    if (!response.ok || !data) throw new Error(describeError(response.status, data));
    session.claims = null;
    location.assign(data.redirect);
    return;
  }
  try {
    await api("POST", "/api/user/logout");
  } finally {
    session.tokens = null;
    const url = new URL(s.hosted_ui + "/logout");
    url.search = new URLSearchParams({ client_id: s.client_id, logout_uri: location.origin + "/" }).toString();
    location.assign(url.toString());
  }
}

async function run(action) {
  try {
    await action();
  } catch (error) {
    say(error.message || String(error));
  }
}

function wire() {
  $("sign-in").addEventListener("click", () => run(signIn));
  $("sign-out").addEventListener("click", () => run(signOut));
  $("add-item").addEventListener("submit", (event) => {
    event.preventDefault();
    run(async () => {
      const input = $("new-item");
      const name = input.value.trim();
      if (!name) return;
      await api("POST", "/api/items/", { name });
      input.value = "";
      pages.items = [null];
      await loadList("items");
      say("Item added.", "info");
    });
  });
  $("tenant-choice").addEventListener("change", () => run(async () => {
    session.tenant = $("tenant-choice").value;
    sessionStorage.setItem("tenant", session.tenant);
    say("");
    await showTenant(false);
  }));
  $("invite-member").addEventListener("submit", (event) => {
    event.preventDefault();
    run(async () => {
      const email = $("invite-email").value.trim();
      const role = $("invite-role").value;
      if (!email) return;
      const { data } = await api("POST", "/api/tenant/members", { email, role });
      $("invite-email").value = "";
      await afterMemberChange(data.state === "invited"
        ? "Invitation sent to " + email + "." : email + " is already a member.");
    });
  });
  for (const kind of ["items", "alerts", "members", "audit"]) {
    $(kind + "-next").addEventListener("click", () => run(async () => {
      pages[kind].push($(kind + "-next").dataset.cursor);
      await loadList(kind);
    }));
    $(kind + "-first").addEventListener("click", () => run(async () => {
      pages[kind] = [null];
      await loadList(kind);
    }));
  }
}

async function start() {
  wire();
  const response = await fetch("/console/settings.json");
  session.settings = await response.json();
  if (!session.settings.sign_in) {
    show("unavailable", true);
    return;
  }
  if (session.settings.bff) {
    const response = await fetch("/auth/session");
    if (!response.ok) {
      signedOutView();
      return;
    }
    const who = await response.json();
    session.claims = { sub: who.sub, email: who.email };
    session.tenant = who.tenant || null;
    await signedInView();
    return;
  }
  const params = new URLSearchParams(location.search);
  if (location.pathname === session.settings.callback_path && (params.has("code") || params.has("error"))) {
    try {
      await finishSignIn(params);
    } catch (error) {
      signedOutView();
      throw error;
    }
    await signedInView();
    return;
  }
  signedOutView();
}

document.addEventListener("DOMContentLoaded", () => run(start));
