//! Time-based one-time passwords (RFC 6238) as authenticator apps make them: six digits from the
//! HMAC-SHA1 of the number of 30-second steps since 1970, with a secret shared once by QR code.

use ring::hmac;
use ring::rand::{SecureRandom, SystemRandom};

const STEP_MS: i64 = 30_000;
/// Steps either side of now whose codes are accepted too: a phone's clock is often a little off.
const DRIFT_STEPS: i64 = 1;
/// 160 bits, the size RFC 4226 recommends.
const SECRET_BYTES: usize = 20;

pub struct Secret(Vec<u8>);

impl Secret {
    pub fn generate() -> Result<Secret, ring::error::Unspecified> {
        let mut bytes = vec![0u8; SECRET_BYTES];
        SystemRandom::new().fill(&mut bytes)?;
        Ok(Secret(bytes))
    }

    pub fn from_bytes(bytes: Vec<u8>) -> Secret {
        Secret(bytes)
    }

    /// The secret from its text as [`Self::for_typing`] shows it (what an app reads).
    pub fn from_typed(text: &str) -> Option<Secret> {
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        data_encoding::BASE32_NOPAD
            .decode(compact.to_uppercase().as_bytes())
            .ok()
            .map(Secret)
    }

    pub fn bytes(&self) -> &[u8] {
        &self.0
    }

    /// The secret as people type it into an app: base32, in groups of four.
    pub fn for_typing(&self) -> String {
        let text = data_encoding::BASE32_NOPAD.encode(&self.0);
        let groups: Vec<&str> = text
            .as_bytes()
            .chunks(4)
            .filter_map(|chunk| std::str::from_utf8(chunk).ok())
            .collect();
        groups.join(" ")
    }

    /// The six-digit code of `step`.
    pub fn code_at(&self, step: i64) -> u32 {
        let key = hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, &self.0);
        let digest = hmac::sign(&key, &step.to_be_bytes());
        let digest = digest.as_ref();
        // RFC 4226's dynamic truncation: four bytes from where the last byte's low bits say.
        let at = usize::from(digest[digest.len() - 1] & 0x0f);
        let word = u32::from_be_bytes([digest[at], digest[at + 1], digest[at + 2], digest[at + 3]]);
        (word & 0x7fff_ffff) % 1_000_000
    }

    /// The step, near `now_ms` and later than `after`, whose code is `typed`; `None` when the code
    /// is wrong, too old, or used already (its step not after `after`).
    pub fn accepted_step(&self, typed: &str, now_ms: i64, after: i64) -> Option<i64> {
        let code = six_digits(typed)?;
        let now = step_at(now_ms);
        (now - DRIFT_STEPS..=now + DRIFT_STEPS)
            .filter(|step| *step > after)
            .find(|step| self.code_at(*step) == code)
    }

    /// The address an authenticator app reads from the QR code.
    pub fn otpauth_uri(&self, issuer: &str, account: &str) -> String {
        format!(
            "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits=6&period=30",
            crate::ui::url_encode(issuer),
            crate::ui::url_encode(account),
            data_encoding::BASE32_NOPAD.encode(&self.0),
            crate::ui::url_encode(issuer),
        )
    }
}

pub fn step_at(now_ms: i64) -> i64 {
    now_ms.div_euclid(STEP_MS)
}

/// A typed code as a number, when it is six digits (spaces allowed, as apps show "123 456").
pub fn six_digits(typed: &str) -> Option<u32> {
    let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() != 6 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// `text` as a QR code, an SVG element to put in the page.
pub fn qr_svg(text: &str) -> Result<String, String> {
    let code = qrcode::QrCode::new(text.as_bytes()).map_err(|e| e.to_string())?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(220, 220)
        .build();
    // The renderer writes a whole document; the page wants the element only.
    Ok(svg
        .find("<svg")
        .map_or(svg.clone(), |start| svg[start..].to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rfc_secret() -> Secret {
        Secret::from_bytes(b"12345678901234567890".to_vec())
    }

    #[test]
    fn codes_match_rfc_6238s_test_values() {
        // RFC 6238, appendix B (SHA-1), the last six of its eight digits.
        for (seconds, code) in [
            (59, 287_082),
            (1_111_111_109, 81_804),
            (1_111_111_111, 50_471),
            (1_234_567_890, 5_924),
            (2_000_000_000, 279_037),
            (20_000_000_000, 353_130),
        ] {
            assert_eq!(
                rfc_secret().code_at(step_at(seconds * 1000)),
                code,
                "at {seconds}"
            );
        }
    }

    #[test]
    fn a_code_is_accepted_a_step_either_side_of_now_and_only_once() {
        let secret = rfc_secret();
        let now = 1_234_567_890_000;
        let step = step_at(now);
        for offset in [-1, 0, 1] {
            let code = format!("{:06}", secret.code_at(step + offset));
            assert_eq!(secret.accepted_step(&code, now, 0), Some(step + offset));
        }
        let stale = format!("{:06}", secret.code_at(step - 2));
        assert_eq!(secret.accepted_step(&stale, now, 0), None, "a minute old");
        let current = format!("{:06}", secret.code_at(step));
        assert_eq!(secret.accepted_step(&current, now, step), None, "used already");
        let spaced = format!("{} {}", &current[..3], &current[3..]);
        assert_eq!(secret.accepted_step(&spaced, now, 0), Some(step));
    }

    #[test]
    fn only_six_digits_are_a_code() {
        assert_eq!(six_digits("012345"), Some(12_345));
        assert_eq!(six_digits(" 012 345 "), Some(12_345));
        for bad in ["", "12345", "1234567", "12a456", "１２３４５６", "-12345"] {
            assert_eq!(six_digits(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_app_reads_the_secret_and_the_account_from_the_uri() {
        let uri = rfc_secret().otpauth_uri("Clientele", "ann+1@example.com");
        assert_eq!(
            uri,
            "otpauth://totp/Clientele:ann%2B1%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\
             &issuer=Clientele&algorithm=SHA1&digits=6&period=30"
        );
        let typed = rfc_secret().for_typing();
        assert_eq!(typed, "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ");
        assert_eq!(
            Secret::from_typed(&typed.to_lowercase()).unwrap().bytes(),
            rfc_secret().bytes()
        );
        assert!(Secret::from_typed("not base32!").is_none());
    }

    #[test]
    fn the_qr_code_is_an_svg_element() {
        let svg = qr_svg("otpauth://totp/x").unwrap();
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"), "{svg:.60}");
    }

    #[test]
    fn generated_secrets_are_random_and_160_bits() {
        let (a, b) = (Secret::generate().unwrap(), Secret::generate().unwrap());
        assert_eq!(a.bytes().len(), 20);
        assert_ne!(a.bytes(), b.bytes());
    }
}
