//! Bodies (local governments) and their codes (全国地方公共団体コード).
//!
//! The registry of all 1,788 bodies is compiled into the binary from
//! `data/local_governments.csv` (see `data/README.md` for its source) and
//! checked on first use: every code's check digit is verified.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

/// A six-digit local-government code whose check digit is right. Being a
/// `BodyCode` does not mean it is a body: see [`Registry::get`] and
/// [`parse_body_code`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BodyCode([u8; 6]);

/// Why a typed code is not a body's code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyCodeError {
    /// Not six ASCII digits.
    Malformed(String),
    /// The sixth digit is not the check digit of the first five.
    CheckDigit {
        /// The code as typed.
        code: String,
        /// The digit it should end with.
        expected: u8,
    },
    /// The check digit is right but no local government has this code (for
    /// example the ward of a designated city).
    NotABody(String),
}

impl fmt::Display for BodyCodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BodyCodeError::Malformed(s) => write!(
                f,
                "body code {s:?} is not six digits (a local-government code such as 131016)"
            ),
            BodyCodeError::CheckDigit { code, expected } => write!(
                f,
                "body code {code} has a wrong check digit (the sixth digit should be {expected}); check for a typing error"
            ),
            BodyCodeError::NotABody(code) => write!(
                f,
                "body code {code} is not a local government (its check digit is right, but it is not in the registry of 1,788 bodies: a ward of a designated city, for example, is not a separate body)"
            ),
        }
    }
}

impl std::error::Error for BodyCodeError {}

/// The check digit of a code's first five digits.
pub fn check_digit(d: [u8; 5]) -> u8 {
    let sum: u32 = d
        .iter()
        .zip([6u32, 5, 4, 3, 2])
        .map(|(&x, w)| u32::from(x) * w)
        .sum();
    ((11 - sum % 11) % 10) as u8
}

impl BodyCode {
    /// Reads a six-digit code (half- or full-width digits) and verifies its
    /// check digit. Does not look in the registry.
    pub fn parse(s: &str) -> Result<BodyCode, BodyCodeError> {
        let digits: Vec<u8> = s
            .trim()
            .chars()
            .map(|c| crate::numeral::arabic_digit(c).and_then(|d| u8::try_from(d).ok()))
            .collect::<Option<_>>()
            .ok_or_else(|| BodyCodeError::Malformed(s.to_string()))?;
        let d: [u8; 6] = digits
            .try_into()
            .map_err(|_| BodyCodeError::Malformed(s.to_string()))?;
        let expected = check_digit([d[0], d[1], d[2], d[3], d[4]]);
        if d[5] != expected {
            return Err(BodyCodeError::CheckDigit {
                code: s.trim().to_string(),
                expected,
            });
        }
        Ok(BodyCode(d))
    }

    /// The two-digit prefecture number (01 Hokkaido … 47 Okinawa).
    pub fn prefecture_number(self) -> u8 {
        self.0[0] * 10 + self.0[1]
    }

    /// The code of the prefecture this code belongs to.
    pub fn prefecture(self) -> BodyCode {
        let d = [self.0[0], self.0[1], 0, 0, 0];
        BodyCode([d[0], d[1], 0, 0, 0, check_digit(d)])
    }
}

impl fmt::Display for BodyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in self.0 {
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

/// The kind of local government.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BodyKind {
    /// 都道府県
    Prefecture,
    /// 市
    City,
    /// 町
    Town,
    /// 村
    Village,
    /// 特別区 (Tokyo's 23 wards)
    SpecialWard,
}

impl BodyKind {
    /// All kinds, in registry order.
    pub const ALL: [BodyKind; 5] = [
        BodyKind::Prefecture,
        BodyKind::City,
        BodyKind::Town,
        BodyKind::Village,
        BodyKind::SpecialWard,
    ];

    /// The word used in the registry and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            BodyKind::Prefecture => "prefecture",
            BodyKind::City => "city",
            BodyKind::Town => "town",
            BodyKind::Village => "village",
            BodyKind::SpecialWard => "special_ward",
        }
    }

    /// Reads the registry word.
    pub fn parse(s: &str) -> Option<BodyKind> {
        BodyKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The Japanese word.
    pub fn japanese(self) -> &'static str {
        match self {
            BodyKind::Prefecture => "都道府県",
            BodyKind::City => "市",
            BodyKind::Town => "町",
            BodyKind::Village => "村",
            BodyKind::SpecialWard => "特別区",
        }
    }
}

/// One local government.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    /// Its code.
    pub code: BodyCode,
    /// Prefecture, city, town, village or special ward.
    pub kind: BodyKind,
    /// Its name (`千代田区`).
    pub name: String,
    /// Its name in kana.
    pub kana: String,
    /// The code of its prefecture (a prefecture's own code for a prefecture).
    pub prefecture: BodyCode,
}

/// All local governments, by code.
#[derive(Debug)]
pub struct Registry {
    bodies: Vec<Body>,
    by_code: HashMap<BodyCode, usize>,
}

const REGISTRY_CSV: &str = include_str!("../data/local_governments.csv");

/// The registry compiled into kaitei.
pub fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| match Registry::from_csv(REGISTRY_CSV) {
        Ok(r) => r,
        // The file is compiled in and checked by a test: a failure here is a
        // build defect, not bad user input.
        Err(e) => panic!("the built-in body registry is corrupt: {e}"),
    })
}

impl Registry {
    /// Reads the registry CSV (`code,kind,name,kana,prefecture_code`),
    /// verifying every code. Errors name the line.
    pub fn from_csv(csv: &str) -> Result<Registry, String> {
        let mut lines = csv.lines().enumerate();
        match lines.next() {
            Some((_, h)) if h.trim() == "code,kind,name,kana,prefecture_code" => {}
            _ => return Err("line 1: expected header code,kind,name,kana,prefecture_code".into()),
        }
        let mut bodies = Vec::new();
        let mut by_code = HashMap::new();
        for (i, line) in lines {
            let n = i + 1;
            if line.trim().is_empty() {
                continue;
            }
            let f: Vec<&str> = line.split(',').collect();
            let [code, kind, name, kana, pref] = f[..] else {
                return Err(format!("line {n}: expected 5 fields, found {}", f.len()));
            };
            let code = BodyCode::parse(code).map_err(|e| format!("line {n}: {e}"))?;
            let prefecture = BodyCode::parse(pref).map_err(|e| format!("line {n}: {e}"))?;
            let kind =
                BodyKind::parse(kind).ok_or_else(|| format!("line {n}: unknown kind {kind:?}"))?;
            if prefecture != code.prefecture() {
                return Err(format!(
                    "line {n}: prefecture {prefecture} does not match code {code}"
                ));
            }
            if by_code.insert(code, bodies.len()).is_some() {
                return Err(format!("line {n}: duplicate code {code}"));
            }
            bodies.push(Body {
                code,
                kind,
                name: name.to_string(),
                kana: kana.to_string(),
                prefecture,
            });
        }
        Ok(Registry { bodies, by_code })
    }

    /// Every body, in registry order (by prefecture, prefecture first).
    pub fn all(&self) -> &[Body] {
        &self.bodies
    }

    /// The body with this code.
    pub fn get(&self, code: BodyCode) -> Option<&Body> {
        self.by_code.get(&code).map(|&i| &self.bodies[i])
    }

    /// Reads a code a user typed and finds its body: a wrong check digit and
    /// a code that is not a body get distinct errors.
    pub fn lookup(&self, typed: &str) -> Result<&Body, BodyCodeError> {
        let code = BodyCode::parse(typed)?;
        self.get(code)
            .ok_or_else(|| BodyCodeError::NotABody(code.to_string()))
    }
}

/// What a document's title says about whose it is ([`Registry::named_in`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TitleBody<'a> {
    /// The title starts with no body's name.
    None,
    /// The title starts with this body's name.
    One(&'a Body),
    /// The title starts with a name several bodies share (府中市, 美郷町):
    /// their codes.
    Several(Vec<BodyCode>),
}

impl Registry {
    /// The body whose name a title starts with (`紫波町情報セキュリティ対策規程`
    /// → 紫波町), also after its prefecture's name (`岩手県紫波町…`). The
    /// longest name wins (`岩手県` … vs a town named like a prefix of it).
    pub fn named_in(&self, title: &str) -> TitleBody<'_> {
        let starting = |t: &str| -> Vec<&Body> {
            let mut found: Vec<&Body> = self
                .bodies
                .iter()
                .filter(|b| !b.name.is_empty() && t.starts_with(b.name.as_str()))
                .collect();
            let longest = found.iter().map(|b| b.name.len()).max().unwrap_or(0);
            found.retain(|b| b.name.len() == longest);
            found
        };
        let mut found = starting(title);
        // 岩手県紫波町…: a municipality after its prefecture's name.
        if let [pref] = found[..]
            && pref.kind == BodyKind::Prefecture
        {
            let rest = &title[pref.name.len()..];
            let inner: Vec<&Body> = starting(rest)
                .into_iter()
                .filter(|b| b.prefecture == pref.code && b.code != pref.code)
                .collect();
            if !inner.is_empty() {
                found = inner;
            }
        }
        match found[..] {
            [] => TitleBody::None,
            [one] => TitleBody::One(one),
            _ => TitleBody::Several(found.iter().map(|b| b.code).collect()),
        }
    }
}

/// Reads a code a user typed and checks it names a body in the registry.
pub fn parse_body_code(typed: &str) -> Result<BodyCode, BodyCodeError> {
    registry().lookup(typed).map(|b| b.code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_loads_all_bodies() {
        let r = registry();
        assert_eq!(r.all().len(), 1788);
        let count = |k| r.all().iter().filter(|b| b.kind == k).count();
        assert_eq!(count(BodyKind::Prefecture), 47);
        assert_eq!(count(BodyKind::City), 792);
        assert_eq!(count(BodyKind::Town), 743);
        assert_eq!(count(BodyKind::Village), 183);
        assert_eq!(count(BodyKind::SpecialWard), 23);
    }

    #[test]
    fn check_digits() {
        assert_eq!(
            parse_body_code("131016").map(|c| c.to_string()),
            Ok("131016".into())
        );
        assert!(parse_body_code("011002").is_ok());
        assert!(parse_body_code("130001").is_ok());
        assert!(parse_body_code("１３１０１６").is_ok());
        assert_eq!(
            parse_body_code("131017"),
            Err(BodyCodeError::CheckDigit {
                code: "131017".into(),
                expected: 6
            })
        );
        assert!(matches!(
            parse_body_code("13101"),
            Err(BodyCodeError::Malformed(_))
        ));
        assert!(matches!(
            parse_body_code("13101x"),
            Err(BodyCodeError::Malformed(_))
        ));
    }

    #[test]
    fn a_ward_of_a_designated_city_is_not_a_body() {
        assert!(BodyCode::parse("011011").is_ok(), "check digit is right");
        let err = parse_body_code("011011").unwrap_err();
        assert_eq!(err, BodyCodeError::NotABody("011011".into()));
        assert!(err.to_string().contains("not a local government"));
    }

    #[test]
    fn prefecture_of_a_code() {
        let chiyoda = BodyCode::parse("131016").unwrap();
        assert_eq!(chiyoda.prefecture().to_string(), "130001");
        assert_eq!(chiyoda.prefecture_number(), 13);
        let body = registry().get(chiyoda).unwrap();
        assert_eq!(body.name, "千代田区");
        assert_eq!(body.kind, BodyKind::SpecialWard);
    }

    #[test]
    fn bodies_named_in_titles() {
        let r = registry();
        let one = |t: &str| match r.named_in(t) {
            TitleBody::One(b) => b.code.to_string(),
            other => format!("{other:?}"),
        };
        assert_eq!(one("紫波町情報セキュリティ対策規程"), "033219");
        assert_eq!(one("岩手県紫波町情報セキュリティ対策規程"), "033219");
        assert_eq!(one("岩手県情報セキュリティポリシー"), "030007");
        assert_eq!(one("北海道情報セキュリティ規程"), "010006");
        assert_eq!(r.named_in("情報セキュリティ規程"), TitleBody::None);
        let TitleBody::Several(codes) = r.named_in("府中市情報セキュリティ規程")
        else {
            panic!("two cities are named 府中市")
        };
        assert_eq!(codes.len(), 2);
        // The prefecture's name settles it.
        assert_eq!(one("東京都府中市情報セキュリティ規程"), "132063");
    }

    #[test]
    fn a_corrupt_registry_names_the_line() {
        let bad = "code,kind,name,kana,prefecture_code\n131017,city,x,x,130001\n";
        let err = Registry::from_csv(bad).unwrap_err();
        assert!(err.starts_with("line 2:"), "{err}");
    }
}
