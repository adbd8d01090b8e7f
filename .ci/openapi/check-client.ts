// Uses the client types generated from /api/openapi.json the way a front end would; `tsc --strict`
// fails if the document produces duplicate or missing identifiers.
import type { components, operations, paths } from "./api";

type Item = components["schemas"]["ItemOut"];
type ItemList = operations["list_items"]["responses"]["200"]["content"]["application/json"];
type AlertList = operations["list_alerts"]["responses"]["200"]["content"]["application/json"];
type Failure = operations["create_item"]["responses"]["415"]["content"]["application/json"];
type ItemId = paths["/api/items/{id}"]["get"]["parameters"]["path"]["id"];
type Tenant = NonNullable<operations["get_me"]["parameters"]["header"]>["X-Tenant-Id"];

const items: ItemList = [] as Item[];
const alerts: AlertList = [];
const failure: Failure = { code: "unsupported_media_type", message: "Expected Content-Type: application/json" };
const id: ItemId = 1;
const tenant: Tenant = "acme";
export const used = { items, alerts, failure, id, tenant };
