use lambda_runtime::service_fn;
use plasma_platform::Platform;
use plasma_platform::schedules::{BRAND_SCAN, handle};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    plasma_platform::logging::init_json();
    let platform = Platform::from_env().await?;
    lambda_runtime::run(service_fn(|event| handle(&platform, &BRAND_SCAN, event))).await
}
