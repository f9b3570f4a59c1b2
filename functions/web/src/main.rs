use plasma_platform::Platform;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    plasma_platform::logging::init_json();
    let platform = Platform::from_env().await?;
    let oidc = plasma_web::OidcSettings::from_env()?;
    lambda_http::run(web::app(&platform, api::app(&platform), oidc, true)).await
}
