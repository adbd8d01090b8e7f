// The console at / in headless Chromium, signed in through the Backend-for-Frontend (the
// default): a new user signs in through the Hosted UI with a temporary password, chooses a new
// one, lands back on the console, sees their tenant, adds an item and sees it listed, with no
// token anywhere in the page (requests carry the HttpOnly cookie and X-CSRF); signs out (after
// which the old cookie is refused, and the Hosted UI session is over too); a user of another
// tenant never sees that item; a page on another origin cannot use the session. A screenshot
// of each state lands in $SCREENSHOTS.
import http from "node:http";
import assert from "node:assert/strict";
import { app, shots, createUser, launch, signIn as signInAs } from "./lib.mjs";

const browser = await launch();
const steps = { "signed-out": "1-signed-out", "hosted-ui-sign-in": "2-hosted-ui-sign-in", "new-password": "3-new-password" };

/** Signs `email` in on / with the temporary password, choosing the permanent one. */
function signIn(email, tenant, shot) {
  return signInAs(browser, email, tenant, { shot: shot ? (step) => steps[step] : undefined });
}

/** The browser context's session cookie (as the server set it), for replay from outside. */
async function sessionCookie(context) {
  const cookies = await context.cookies(app);
  const session = cookies.find((c) => c.name === "tenant-api-session");
  assert.ok(session, "the session cookie is set");
  assert.equal(session.httpOnly, true);
  assert.equal(session.sameSite, "Strict");
  return `tenant-api-session=${session.value}`;
}

/** No token in the page: not in document.cookie, storage, the DOM or the script's state. */
async function assertNoTokenInPage(page) {
  const found = await page.evaluate(() => {
    const places = {
      cookie: document.cookie,
      local: JSON.stringify(Object.assign({}, localStorage)),
      session: JSON.stringify(Object.assign({}, sessionStorage)),
      dom: document.documentElement.outerHTML,
      // The console script's own state (a top-level const of the page's script).
      state: JSON.stringify(typeof session === "undefined" ? null : session),
    };
    return Object.entries(places).filter(([, text]) => text.includes("eyJ") || text.includes("tenant-api-session"));
  });
  assert.deepEqual(found, [], "a token or the session cookie is visible to the page");
}

await createUser("ada@example.com", "acme");
await createUser("bob@example.com", "globex");

// 1. Ada (tenant acme): sign in, see the tenant, add an item, see it listed.
const ada = await signIn("ada@example.com", "acme", true);
await ada.page.getByText("No items yet.").waitFor();
await ada.page.screenshot({ path: `${shots}/4-signed-in.png`, fullPage: true });
await ada.page.getByLabel("New item").fill("Quarterly report");
await ada.page.getByRole("button", { name: "Add item" }).click();
await ada.page.locator("#items li").filter({ hasText: "Quarterly report" }).waitFor();
await ada.page.screenshot({ path: `${shots}/5-item-added.png`, fullPage: true });
// Rename (the browser's prompt) and delete (its confirm) a second item.
await ada.page.getByLabel("New item").fill("Draft");
await ada.page.getByRole("button", { name: "Add item" }).click();
const draft = ada.page.locator("#items li").filter({ hasText: "Draft" });
ada.page.once("dialog", (d) => d.accept("Final draft"));
await draft.getByRole("button", { name: "Rename" }).click();
const final = ada.page.locator("#items li").filter({ hasText: "Final draft" });
await final.waitFor();
ada.page.once("dialog", (d) => d.accept());
await final.getByRole("button", { name: "Delete" }).click();
await final.waitFor({ state: "detached" });
await ada.page.getByRole("alert").filter({ hasText: "Item deleted." }).waitFor();
assert.equal(await ada.page.locator("#items li").count(), 1);
assert.ok(ada.apiCalls.length > 0);
for (const headers of ada.apiCalls) {
  assert.equal(headers["authorization"], undefined, "no bearer token from the page");
  assert.equal(headers["x-csrf"], "1");
}
await assertNoTokenInPage(ada.page);
const adaCookie = await sessionCookie(ada.context);
const byCookie = { cookie: adaCookie, "x-csrf": "1", "x-tenant-id": "acme" };
const before = await fetch(app + "/api/items/", { headers: byCookie });
assert.equal(before.status, 200);
assert.ok((await before.json()).some((item) => item.name === "Quarterly report"));

// A page on another origin (same site: 127.0.0.1 on another port) cannot use the session:
// with the custom header the browser must ask first (CORS preflight) and is refused; without
// it, the server refuses the cookie.
const evil = http.createServer((req, res) => {
  res.writeHead(200, { "content-type": "text/html" });
  res.end("<!doctype html><title>elsewhere</title><p>another origin</p>");
});
await new Promise((resolve) => evil.listen(0, "127.0.0.1", resolve));
const evilUrl = `http://127.0.0.1:${evil.address().port}/`;
const evilPage = await ada.context.newPage();
await evilPage.goto(evilUrl);
const attempts = await evilPage.evaluate(async (target) => {
  const out = {};
  try {
    const r = await fetch(target + "/api/items/", {
      method: "POST", credentials: "include",
      headers: { "X-CSRF": "1", "X-Tenant-Id": "acme", "content-type": "application/json" },
      body: JSON.stringify({ name: "from elsewhere" }),
    });
    out.withHeader = r.status;
  } catch (e) { out.withHeader = "blocked"; }
  try {
    const r = await fetch(target + "/api/items/", {
      method: "POST", credentials: "include", mode: "no-cors",
      headers: { "content-type": "text/plain" }, body: JSON.stringify({ name: "from elsewhere" }),
    });
    out.simple = r.type;
  } catch (e) { out.simple = "blocked"; }
  return out;
}, app);
assert.equal(attempts.withHeader, "blocked", "the preflight is refused");
await evilPage.close();
evil.close();
const afterEvil = await (await fetch(app + "/api/items/", { headers: byCookie })).json();
assert.equal(afterEvil.filter((item) => item.name === "from elsewhere").length, 0, "nothing written from another origin");

// Paging with the cursor: ten more items through the API, one through the page (12 in all).
for (let i = 1; i <= 10; i++) {
  const made = await fetch(app + "/api/items/", {
    method: "POST",
    headers: { ...byCookie, "content-type": "application/json" },
    body: JSON.stringify({ name: `Batch ${i}` }),
  });
  assert.equal(made.status, 201);
}
await ada.page.getByLabel("New item").fill("Last one");
await ada.page.getByRole("button", { name: "Add item" }).click();
await ada.page.getByRole("button", { name: "Next page" }).waitFor();
assert.equal(await ada.page.locator("#items li").count(), 10);
await ada.page.getByRole("button", { name: "Next page" }).click();
await ada.page.locator("#items li").filter({ hasText: "Last one" }).waitFor();
assert.equal(await ada.page.locator("#items li").count(), 2);
assert.equal(await ada.page.getByRole("button", { name: "Next page" }).isVisible(), false);
await ada.page.screenshot({ path: `${shots}/5b-second-page.png`, fullPage: true });
await ada.page.getByRole("button", { name: "First page" }).click();
await ada.page.locator("#items li").filter({ hasText: "Quarterly report" }).waitFor();

// 2. Sign out: the BFF's logout, then the Hosted UI's /logout back to the console.
await ada.page.getByRole("button", { name: "Sign out" }).click();
await ada.page.waitForURL(app + "/");
await ada.page.getByRole("button", { name: "Sign in" }).waitFor();
await ada.page.screenshot({ path: `${shots}/6-signed-out-again.png`, fullPage: true });
const after = await fetch(app + "/api/items/", { headers: byCookie });
assert.equal(after.status, 401, "the old session cookie is refused after sign-out");
assert.equal((await ada.context.cookies(app)).filter((c) => c.name === "tenant-api-session").length, 0);
// The Hosted UI session ended too: signing in again asks for the password.
await ada.page.getByRole("button", { name: "Sign in" }).click();
await ada.page.getByLabel("Password").waitFor();
await ada.page.goto(app + "/");

// 3. Bob (tenant globex) never sees acme's item.
const bob = await signIn("bob@example.com", "globex", false);
await bob.page.getByText("No items yet.").waitFor();
assert.equal(await bob.page.getByText("Quarterly report").count(), 0);
await bob.page.screenshot({ path: `${shots}/7-other-tenant.png`, fullPage: true });

// 4. Signed out elsewhere (another browser of his): the next action explains and offers "Sign in".
const bobCookie = await sessionCookie(bob.context);
const out = await fetch(app + "/auth/logout", { method: "POST", headers: { cookie: bobCookie, "x-csrf": "1" } });
assert.equal(out.status, 200);
await bob.page.getByLabel("New item").fill("Should not be saved");
await bob.page.getByRole("button", { name: "Add item" }).click();
await bob.page.getByRole("alert").filter({ hasText: "Your session has ended. Please sign in again." }).waitFor();
await bob.page.getByRole("button", { name: "Sign in" }).waitFor();
await bob.page.screenshot({ path: `${shots}/8-session-ended.png`, fullPage: true });

// 5. A callback this browser did not start (forged state) is refused before any code exchange.
const forged = await bob.page.goto(app + "/auth/callback?code=stolen&state=forged");
assert.equal(forged.status(), 400);
assert.equal((await forged.json()).code, "login_failed");

await browser.close();
console.log("console browser test: ok (screenshots in " + shots + ")");
