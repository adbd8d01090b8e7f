// A tenant that runs itself, in headless Chromium through the BFF: Ann, the first member of
// initech (so its admin), sees the Members panel; invites a new person, whose invitation (with its
// temporary password) is read in the embedded identity provider's outbox; the new person signs
// in for the first time through the Hosted UI, sees initech's items and no Members panel; Ann
// suspends them and their next click is refused ("access to this tenant was suspended"); the
// audit log shows both actions. (Tenants of their own: console.mjs ran on this server first.) Max, at home in umbrella and invited into initech, switches between
// his two tenants. Screenshots land in $SCREENSHOTS (m*-…png).
import assert from "node:assert/strict";
import { app, idp, shots, createUser, launch, signIn } from "./lib.mjs";

const browser = await launch();
const shot = (page, name) => page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
const acceptNextDialog = (page) => page.once("dialog", (d) => d.accept());

await createUser("ann@example.com", "initech");
await createUser("max@example.com", "umbrella");

// 1. Ann: the Members panel, an item for her tenant, and an invitation.
const ann = await signIn(browser, "ann@example.com", "initech");
await ann.page.locator("#members-panel").waitFor();
await ann.page.locator("#fact-role").filter({ hasText: "admin" }).waitFor();
await ann.page.getByLabel("New item").fill("Welcome kit");
await ann.page.getByRole("button", { name: "Add item" }).click();
await ann.page.locator("#items li").filter({ hasText: "Welcome kit" }).waitFor();
await ann.page.getByLabel("Invite").fill("newbie@example.com");
await ann.page.getByRole("button", { name: "Send invitation" }).click();
await ann.page.getByRole("alert").filter({ hasText: "Invitation sent to newbie@example.com." }).waitFor();
const newbieRow = ann.page.locator("#members li").filter({ hasText: "newbie@example.com" });
await newbieRow.filter({ hasText: "invited" }).waitFor();
await shot(ann.page, "m1-admin-invited");

// 2. The invitation, read in the embedded provider's outbox (a page on its loopback listener).
const outbox = await browser.newPage();
await outbox.goto(idp + "/outbox?to=newbie@example.com");
const invitation = outbox.locator("article.message").first();
await invitation.waitFor();
const text = await invitation.locator(".body").textContent();
const password = text.match(/temporary password is (\S+)\.$/)[1];
assert.ok(password.length >= 8, text);
await shot(outbox, "m2-outbox");
await outbox.close();

// 3. The new person's first sign-in: initech's items, no Members panel.
const newbie = await signIn(browser, "newbie@example.com", "initech", { password });
await newbie.page.locator("#items li").filter({ hasText: "Welcome kit" }).waitFor();
assert.equal(await newbie.page.locator("#members-panel").isVisible(), false, "a member sees no Members panel");
await shot(newbie.page, "m3-member-signed-in");
await ann.page.reload();
await newbieRow.filter({ hasText: "active" }).waitFor();

// 4. Ann suspends them (after confirming); their next click is refused.
acceptNextDialog(ann.page);
await newbieRow.getByRole("button", { name: "Suspend" }).click();
await newbieRow.filter({ hasText: "suspended" }).waitFor();
await newbie.page.getByLabel("New item").fill("After suspension");
await newbie.page.getByRole("button", { name: "Add item" }).click();
await newbie.page.getByRole("alert").filter({ hasText: /access to this tenant was suspended/i }).waitFor();
await shot(newbie.page, "m4-member-suspended");
const items = await ann.page.evaluate(async () => {
  const r = await fetch("/api/items/?limit=50", { headers: { "X-CSRF": "1", "X-Tenant-Id": "initech" } });
  return (await r.json()).map((item) => item.name);
});
assert.ok(!items.includes("After suspension"), "nothing written after the suspension");

// 5. The audit log names both actions, with Ann as the actor.
await ann.page.locator("#audit li").filter({ hasText: "You suspended newbie@example.com" }).waitFor();
await ann.page.locator("#audit li").filter({ hasText: "You invited newbie@example.com as member" }).waitFor();
// Sign-ins through the browser are recorded too (the new person's, once they are on the page).
await ann.page.locator("#audit li").filter({ hasText: "You signed in" }).first().waitFor();
await ann.page.locator("#audit li").filter({ hasText: "newbie@example.com signed in" }).waitFor();
await shot(ann.page, "m5-admin-suspended-and-audit");

// Reactivated: they are back at once.
await newbieRow.getByRole("button", { name: "Reactivate" }).click();
await newbieRow.filter({ hasText: "active" }).waitFor();
await newbie.page.getByRole("button", { name: "Add item" }).click();
await newbie.page.getByRole("alert").filter({ hasText: "Item added." }).waitFor();

// 6. Max (home umbrella) invited into initech switches between his two tenants.
await ann.page.getByLabel("Invite").fill("max@example.com");
await ann.page.getByRole("button", { name: "Send invitation" }).click();
await ann.page.locator("#members li").filter({ hasText: "max@example.com" }).waitFor();
const max = await signIn(browser, "max@example.com", "umbrella");
await max.page.getByText("No items yet.").waitFor();
const choice = max.page.getByLabel("Switch tenant");
await choice.waitFor();
assert.deepEqual(
  await choice.locator("option").allTextContents(),
  ["initech (member)", "umbrella (admin, home)"],
);
await choice.selectOption("initech");
await max.page.locator("#fact-tenant").filter({ hasText: "initech" }).waitFor();
await max.page.locator("#items li").filter({ hasText: "Welcome kit" }).waitFor();
assert.equal(await max.page.locator("#members-panel").isVisible(), false);
await shot(max.page, "m6-switched-tenant");
await choice.selectOption("umbrella");
await max.page.getByText("No items yet.").waitFor();
await max.page.locator("#members-panel").waitFor();

for (const who of [ann, newbie, max]) assert.deepEqual(who.problems, [], "console errors");
await browser.close();
console.log("members browser test: ok (screenshots in " + shots + ")");
