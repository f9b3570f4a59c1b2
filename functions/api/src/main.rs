use plasma_platform::Platform;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    plasma_platform::logging::init_json();
    let platform = Platform::from_env().await?;
    lambda_http::run(api::app(&platform)).await
}
