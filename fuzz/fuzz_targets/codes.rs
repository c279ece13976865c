//! Registration codes, PINs, province and district codes from arbitrary text: every accepted
//! value keeps its invariants and parses back to itself, and Khmer digits, ASCII digits and
//! outer whitespace never change the answer.
#![no_main]

use app::domain::{DistrictCode, Pin, ProvinceCode, RegistrationCode};
use app::format::{from_khmer_digits, to_khmer_digits};
use libfuzzer_sys::fuzz_target;

fn digits_of(text: &str) -> String {
    from_khmer_digits(text)
        .chars()
        .filter(char::is_ascii_digit)
        .collect()
}

fn all_digits(text: &str, len: usize) -> bool {
    text.len() == len && text.bytes().all(|b| b.is_ascii_digit())
}

type Answers = (
    Result<RegistrationCode, app::domain::ParseError>,
    Result<String, app::domain::ParseError>,
    Result<ProvinceCode, app::domain::ParseError>,
    Result<DistrictCode, app::domain::ParseError>,
);

fn answers(text: &str) -> Answers {
    (
        RegistrationCode::parse(text),
        Pin::parse(text).map(|p| p.as_str().to_string()),
        ProvinceCode::parse(text),
        DistrictCode::parse(text),
    )
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let found = answers(text);
    assert_eq!(
        answers(&to_khmer_digits(text)),
        found,
        "Khmer digits: {text:?}"
    );
    assert_eq!(
        answers(&from_khmer_digits(text)),
        found,
        "ASCII digits: {text:?}"
    );
    assert_eq!(
        answers(&format!(" \t{text}\u{a0}\n")),
        found,
        "whitespace: {text:?}"
    );

    let (code, pin, province, district) = found;
    if let Ok(code) = code {
        let c = code.as_str();
        assert!(all_digits(c, 10), "{c:?}");
        assert_eq!(c, digits_of(text));
        assert!(ProvinceCode::parse(&c[..2]).is_ok(), "{c:?}");
        assert!(
            (1..=RegistrationCode::MAX_SEQUENCE).contains(&code.sequence()),
            "{c:?}"
        );
        assert_eq!(code.province().as_str(), &c[..2]);
        assert_eq!(RegistrationCode::parse(c).as_ref(), Ok(&code));
        assert_eq!(
            RegistrationCode::parse(&to_khmer_digits(c)).as_ref(),
            Ok(&code)
        );
    }
    if let Ok(pin) = pin {
        assert!(all_digits(&pin, 6), "{pin:?}");
        assert_eq!(pin, digits_of(text));
    }
    if let Ok(province) = province {
        let p = province.as_str();
        assert!(
            all_digits(p, 2) && (1..=25).contains(&p.parse::<u8>().unwrap()),
            "{p:?}"
        );
        assert_eq!(ProvinceCode::parse(p).as_ref(), Ok(&province));
    }
    if let Ok(district) = district {
        let d = district.as_str();
        assert!(all_digits(d, 4) && &d[2..] != "00", "{d:?}");
        assert!(
            ProvinceCode::parse(district.province().as_str()).is_ok(),
            "{d:?}"
        );
        assert_eq!(DistrictCode::parse(d).as_ref(), Ok(&district));
    }
});
