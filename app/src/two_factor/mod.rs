//! Two-factor sign-in for staff (TOTP, as authenticator apps use): after the right password, a
//! six-digit code from the app, or one of ten single-use recovery codes. Each user sets it up
//! from "Your account" with a QR code and a first code; an Admin can require it of everyone and
//! reset it for a user who lost their phone. Secrets are sealed with the server's key.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
mod pages;
#[cfg(feature = "ssr")]
pub mod recovery;
#[cfg(feature = "ssr")]
pub mod sealing;
mod settings;
#[cfg(feature = "ssr")]
pub mod totp;

pub use pages::{EnrolPage, TwoFactorPage};
pub use settings::{RequireTwoFactorSetting, TwoFactorSection};

use serde::{Deserialize, Serialize};

/// What a sign-in needs after the right password.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignInStep {
    /// Signed in.
    Done,
    /// A code from the app, at `/login/two-factor`.
    Code,
    /// Two-factor is required and not set up yet: set it up at `/login/two-factor/enrol`.
    Enrol,
}

impl SignInStep {
    /// Where the browser goes next, `next` being where it was going.
    pub fn path(self, next: &str) -> String {
        let then = |page: &str| format!("{page}?next={}", crate::ui::url_encode(next));
        match self {
            SignInStep::Done => next.to_string(),
            SignInStep::Code => then("/login/two-factor"),
            SignInStep::Enrol => then("/login/two-factor/enrol"),
        }
    }
}

/// The caller's two-factor sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoFactorState {
    pub enabled: bool,
    /// Recovery codes not used yet.
    pub codes_left: i64,
    /// An Admin requires it of everyone.
    pub required: bool,
    /// The server has its key, so it can be set up.
    pub available: bool,
}

/// A secret being set up: as a QR code, and as text to type when the camera cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolment {
    pub secret: String,
    pub uri: String,
    pub qr_svg: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_step_leads_on_to_where_the_browser_was_going() {
        assert_eq!(SignInStep::Done.path("/orders?q=a b"), "/orders?q=a b");
        assert_eq!(
            SignInStep::Code.path("/orders?q=a&b"),
            "/login/two-factor?next=%2Forders%3Fq%3Da%26b"
        );
        assert_eq!(
            SignInStep::Enrol.path("/customers"),
            "/login/two-factor/enrol?next=%2Fcustomers"
        );
    }
}
