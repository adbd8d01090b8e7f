//! OpenAPI document, Swagger UI and probes.

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::helpers::{spawn_app, RequestExt};

#[tokio::test]
async fn openapi_documents_every_endpoint_the_bearer_scheme_and_the_error_body() {
    let app = spawn_app().await;
    let doc: Value = app
        .request(Method::GET, "/api/openapi.json")
        .json_value()
        .await;
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/api/user/login",
        "/api/user/new-password",
        "/api/user/refresh",
        "/api/user/logout",
        "/api/items/",
        "/api/items/{id}",
        "/api/items/me",
        "/api/items/tenant",
        "/api/alerts/",
        "/api/alerts/{id}",
        "/api/alerts/{id}/ack",
        "/health",
    ] {
        assert!(
            paths.contains_key(path),
            "{path} missing from the OpenAPI document"
        );
    }
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    let responses = doc["paths"]["/api/items/{id}"]["get"]["responses"]
        .as_object()
        .unwrap();
    for status in ["200", "400", "401", "403", "404", "503"] {
        assert!(
            responses.contains_key(status),
            "GET /api/items/{{id}} lacks {status}"
        );
    }
    let list_params = doc["paths"]["/api/items/"]["get"]["parameters"]
        .as_array()
        .unwrap();
    assert!(list_params
        .iter()
        .any(|p| p["name"] == "X-Tenant-Id" && p["in"] == "header"));
    app.stop().await;
}

#[tokio::test]
async fn every_operation_has_a_unique_id_and_declares_the_errors_it_can_answer() {
    let app = spawn_app().await;
    let doc: Value = app
        .request(Method::GET, "/api/openapi.json")
        .json_value()
        .await;
    let mut ids = std::collections::HashSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let id = operation["operationId"].as_str().unwrap_or_default();
            assert!(!id.is_empty(), "{method} {path} has no operationId");
            assert!(ids.insert(id.to_owned()), "operationId {id} repeats");
            // A path parameter names a `{segment}` of its path; anything else belongs in the query.
            for param in operation["parameters"].as_array().into_iter().flatten() {
                if param["in"] == "path" {
                    let name = param["name"].as_str().unwrap();
                    assert!(
                        path.contains(&format!("{{{name}}}")),
                        "{method} {path}: path parameter {name} is not in the path"
                    );
                }
            }
            let declared = operation["responses"].as_object().unwrap();
            let mut expected = vec!["400", "503"];
            if operation.get("requestBody").is_some() {
                expected.extend(["413", "415"]);
            }
            if operation.get("security").is_some() {
                expected.extend(["401", "403", "429"]);
                if method != "get" {
                    expected.push("507");
                }
            }
            for status in expected {
                let response = &declared[status];
                assert!(response.is_object(), "{method} {path} lacks {status}");
                // Readiness answers 503 with its own probe body; every other error is ErrorBody.
                let body = if (id, status) == ("readiness", "503") {
                    "HealthOut"
                } else {
                    "ErrorBody"
                };
                assert_eq!(
                    response["content"]["application/json"]["schema"]["$ref"],
                    format!("#/components/schemas/{body}"),
                    "{method} {path} {status}"
                );
            }
        }
    }
    assert!(ids.contains("list_items") && ids.contains("list_alerts"));
    assert!(
        ids.contains("bff_callback"),
        "the BFF's operations are documented"
    );
    app.stop().await;
}

#[tokio::test]
async fn swagger_ui_is_served_from_the_binary() {
    let app = spawn_app().await;
    let page = app.request(Method::GET, "/api/docs/").sent().await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("swagger"));
    let config = app
        .request(Method::GET, "/api/docs/swagger-initializer.js")
        .sent()
        .await;
    assert_eq!(config.status(), StatusCode::OK);
    assert!(config.text().await.unwrap().contains("/api/openapi.json"));
    app.stop().await;
}

#[tokio::test]
async fn probes_report_liveness_and_readiness() {
    let app = spawn_app().await;
    for path in ["/health", "/health/live"] {
        let body: Value = app.request(Method::GET, path).json_value().await;
        assert_eq!(body["status"], "ok");
    }
    let ready = app.request(Method::GET, "/health/ready").sent().await;
    assert_eq!(ready.status(), StatusCode::OK);
    let body: Value = ready.json().await.unwrap();
    assert_eq!(body["database"], true);
    assert_eq!(body["jwks"], true);
    app.stop().await;
}
