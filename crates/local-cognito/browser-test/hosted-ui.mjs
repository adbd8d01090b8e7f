// The Hosted UI flow in headless Chromium: a user with a temporary password signs in through
// the sign-in page, chooses a password on the new-password page, and the app redeems the code
// (PKCE S256, state, nonce) for tokens; then a normal sign-in after sign-out.
import { createHash, randomBytes } from "node:crypto";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const idp = process.env.IDP_URL;
const shots = process.env.SCREENSHOTS;
const callback = "http://localhost:3000/api/auth/callback/cognito";
const temporary = "Temp-Passw0rd!";
const permanent = "New-Passw0rd!";

async function cognito(target, body) {
  const response = await fetch(idp, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `AWSCognitoIdentityProviderService.${target}`,
    },
    body: JSON.stringify(body),
  });
  const json = await response.json();
  assert.equal(response.status, 200, JSON.stringify(json));
  return json;
}

const b64url = (buffer) => buffer.toString("base64url");
const pool = (await cognito("CreateUserPool", {
  PoolName: "browser-pool", UsernameAttributes: ["email"],
  Schema: [{ Name: "tenant_id", AttributeDataType: "String", Mutable: true }],
})).UserPool.Id;
const client = (await cognito("CreateUserPoolClient", {
  UserPoolId: pool, ClientName: "Tenant web", AllowedOAuthFlows: ["code"],
  AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthScopes: ["openid", "email"],
  CallbackURLs: [callback], LogoutURLs: ["http://localhost:3000/"], SupportedIdentityProviders: ["COGNITO"],
})).UserPoolClient.ClientId;
await cognito("AdminCreateUser", {
  UserPoolId: pool, Username: "grace@example.com", TemporaryPassword: temporary, MessageAction: "SUPPRESS",
  UserAttributes: [{ Name: "email", Value: "grace@example.com" }, { Name: "custom:tenant_id", Value: "acme" }],
});

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const context = await browser.newContext();
let page = await context.newPage();
const violations = [];
context.on("console", (message) => { if (/Content Security Policy/i.test(message.text())) violations.push(message.text()); });
let landed = null;
// The app (callback and signed-out page) is not running: catch the browser's arrival there.
await context.route((url) => url.host === "localhost:3000", (route) => {
  const url = new URL(route.request().url());
  if (url.href.startsWith(callback)) landed = url;
  route.fulfill({ status: 200, contentType: "text/html", body: "<p>app</p>" });
});

async function authorize() {
  const verifier = b64url(randomBytes(32));
  const request = {
    state: b64url(randomBytes(16)), nonce: b64url(randomBytes(16)), verifier,
  };
  const url = new URL(`${idp}/oauth2/authorize`);
  url.search = new URLSearchParams({
    response_type: "code", client_id: client, redirect_uri: callback, scope: "openid email",
    state: request.state, nonce: request.nonce, code_challenge_method: "S256",
    code_challenge: b64url(createHash("sha256").update(verifier).digest()),
  });
  landed = null;
  await page.goto(url.toString());
  return request;
}

async function redeem(request) {
  assert.ok(landed, "the browser came back to the callback");
  assert.equal(landed.searchParams.get("state"), request.state);
  const response = await fetch(`${idp}/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code", client_id: client, redirect_uri: callback,
      code: landed.searchParams.get("code"), code_verifier: request.verifier,
    }),
  });
  const tokens = await response.json();
  assert.equal(response.status, 200, JSON.stringify(tokens));
  const claims = JSON.parse(Buffer.from(tokens.id_token.split(".")[1], "base64url"));
  assert.equal(claims.nonce, request.nonce);
  assert.equal(claims.aud, client);
  assert.equal(claims["custom:tenant_id"], "acme");
  return tokens;
}

// 1. Temporary password: sign-in page, then the new-password page.
const first = await authorize();
await page.getByLabel("Email").fill("grace@example.com");
await page.getByLabel("Password").fill(temporary);
await page.screenshot({ path: `${shots}/sign-in.png`, fullPage: true });
await page.getByRole("button", { name: "Sign in" }).click();
await page.getByLabel("Confirm new password").waitFor();
await page.getByLabel("New password", { exact: true }).fill("weakpassword");
await page.getByLabel("Confirm new password").fill("weakpassword");
await page.getByRole("button", { name: /Change password/ }).click();
const alert = await page.getByRole("alert").textContent();
assert.match(alert, /uppercase|numeric|symbol/);
await page.screenshot({ path: `${shots}/new-password.png`, fullPage: true });
await page.getByLabel("New password", { exact: true }).fill(permanent);
await page.getByLabel("Confirm new password").fill(permanent);
await page.getByRole("button", { name: /Change password/ }).click();
await page.waitForURL(`${callback}**`);
const tokens = await redeem(first);
const info = await (await fetch(`${idp}/oauth2/userInfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).json();
assert.equal(info.email, "grace@example.com");

// 2. Sign out, then a normal sign-in with the new password.
// The redirect to the (absent) app's signed-out page may fail to load; the cookie is what counts.
const sessionCookie = `cognito-${pool}`;
assert.ok((await context.cookies()).some((c) => c.name === sessionCookie && c.httpOnly && c.sameSite === "Lax"));
await page.goto(`${idp}/logout?client_id=${client}&logout_uri=${encodeURIComponent("http://localhost:3000/")}`).catch(() => {});
await page.close();
page = await context.newPage();
assert.ok(!(await context.cookies()).some((c) => c.name === sessionCookie), "sign-out ends the session");
const second = await authorize();
await page.getByLabel("Email").fill("grace@example.com");
await page.getByLabel("Password").fill("Wrong-Passw0rd!");
await page.getByRole("button", { name: "Sign in" }).click();
assert.equal(await page.getByRole("alert").textContent(), "Incorrect username or password.");
await page.screenshot({ path: `${shots}/wrong-password.png`, fullPage: true });
await page.getByLabel("Password").fill(permanent);
await page.getByRole("button", { name: "Sign in" }).click();
await page.waitForURL(`${callback}**`);
await redeem(second);

await browser.close();
assert.deepEqual(violations, [], "no Content-Security-Policy violations");
console.log(`hosted UI browser flow: 1 passed, 0 failed (screenshots in ${shots})`);
