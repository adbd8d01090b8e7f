// tenant-api console. With the Backend-for-Frontend (settings.bff, the default) the server signs
// the browser in (/auth/login) and keeps the tokens: this page holds none, and calls the API with
// the HttpOnly session cookie and the X-CSRF header. Without it, the page signs in through the
// Hosted UI itself (authorization code + PKCE S256 + state) and calls the API with the access
// token, kept in memory only; the PKCE verifier and state wait in sessionStorage meanwhile.
"use strict";

const PAGE_SIZE = 10;
const session = { settings: null, tokens: null, claims: null, tenant: null };
const pages = { items: [null], alerts: [null] };

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

async function loadList(kind) {
  const cursors = pages[kind];
  const cursor = cursors[cursors.length - 1];
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (cursor) query.set("cursor", cursor);
  const { data, next } = await api("GET", "/api/" + kind + "/?" + query.toString());
  const list = $(kind);
  list.replaceChildren(...data.map(kind === "items" ? itemRow : alertRow));
  show(kind + "-empty", data.length === 0 && cursors.length === 1);
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

async function signedInView() {
  const c = session.claims;
  $("who-email").textContent = c.email || c["cognito:username"] || c.sub;
  $("fact-email").textContent = c.email || "(none)";
  $("fact-sub").textContent = c.sub;
  $("fact-tenant").textContent = session.tenant || "(none)";
  show("signed-out", false);
  show("who", true);
  show("signed-in", true);
  pages.items = [null];
  pages.alerts = [null];
  await loadList("items");
  await loadList("alerts");
}

function signedOutView() {
  session.tokens = null;
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
  for (const kind of ["items", "alerts"]) {
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
