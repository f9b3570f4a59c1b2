//! The HTTP layer every HTTP function shares: RFC 9457 problem details with stable codes,
//! a JSON body extractor whose errors name the field, the 404/405 fallbacks and the
//! middleware stack (request ids, security headers, panic safety net).

pub mod cors;
pub mod json;
pub mod middleware;
#[cfg(feature = "outbound")]
pub mod outbound;
pub mod params;
pub mod problem;

pub use cors::Cors;
pub use json::ApiJson;
pub use middleware::{LargeBodies, REQUEST_ID_HEADER, RequestId, finish};
pub use problem::Problem;
