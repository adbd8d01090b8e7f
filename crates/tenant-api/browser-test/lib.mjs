// What the console's browser tests share: the running service's addresses (from run.sh), users
// made through the embedded identity provider's admin API, headless Chromium, and a sign-in on
// / through the Hosted UI with a temporary password that the person replaces.
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

export const app = process.env.APP_URL;
export const idp = process.env.IDP_URL;
export const pool = process.env.POOL_ID;
export const shots = process.env.SCREENSHOTS;
export const temporary = "Temp-Passw0rd!";
export const permanent = "New-Passw0rd!";

/** A user of `tenant` with the known temporary password (no invitation sent). */
export async function createUser(email, tenant) {
  const response = await fetch(idp, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": "AWSCognitoIdentityProviderService.AdminCreateUser",
    },
    body: JSON.stringify({
      UserPoolId: pool, Username: email, TemporaryPassword: temporary, MessageAction: "SUPPRESS",
      UserAttributes: [{ Name: "email", Value: email }, { Name: "custom:tenant_id", Value: tenant }],
    }),
  });
  assert.equal(response.status, 200, await response.text());
}

/** Debian's Chromium, headless, with nothing that reaches beyond loopback. */
export function launch() {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/**
 * Signs `email` in on / in a new browser context with `password` (a temporary one), choosing
 * the permanent one, and waits for the console to show `tenant`. `shot(name)` names the
 * screenshots of the steps, when given. Console errors and unexpected HTTP failures are
 * collected in `problems` (401 and 403 are answers the console explains).
 */
export async function signIn(browser, email, tenant, { password = temporary, shot } = {}) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) problems.push(m.text());
  });
  page.on("response", (r) => {
    if (r.status() >= 400 && ![401, 403].includes(r.status()) && !r.url().endsWith("/favicon.ico")) problems.push(`${r.status()} ${r.url()}`);
  });
  page.on("pageerror", (e) => problems.push(String(e)));
  const apiCalls = [];
  page.on("request", (r) => {
    if (r.url().startsWith(app + "/api/")) apiCalls.push(r.headers());
  });
  await page.goto(app + "/");
  await page.getByRole("button", { name: "Sign in" }).waitFor();
  if (shot) await page.screenshot({ path: `${shots}/${shot("signed-out")}.png`, fullPage: true });
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  if (shot) await page.screenshot({ path: `${shots}/${shot("hosted-ui-sign-in")}.png`, fullPage: true });
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByLabel("Confirm new password").waitFor();
  await page.getByLabel("New password", { exact: true }).fill(permanent);
  await page.getByLabel("Confirm new password").fill(permanent);
  if (shot) await page.screenshot({ path: `${shots}/${shot("new-password")}.png`, fullPage: true });
  await page.getByRole("button", { name: /Change password/ }).click();
  await page.waitForURL(app + "/");
  await page.locator("#fact-tenant").filter({ hasText: tenant }).waitFor();
  assert.equal(await page.locator("#fact-email").textContent(), email);
  assert.deepEqual(problems, []);
  return { context, page, apiCalls, problems };
}
