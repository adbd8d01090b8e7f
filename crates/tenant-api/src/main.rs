//! Binary entry point; everything lives in the library.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match tenant_api::cli::run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
