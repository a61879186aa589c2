//! Embedded word lists: personal names by heritage, nicknames, streets,
//! cities, school names and the like, plus the text helpers that build on
//! them (ASCII folding for email addresses).

use crate::rng::Rng;

/// The naming tradition a family's names are drawn from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Heritage {
    /// English-language (incl. African American) names.
    Anglo,
    /// Spanish-language names (with accents: José, María).
    Hispanic,
    /// Vietnamese names (Nguyễn, Trần).
    Vietnamese,
    /// Somali names; a child's middle name is the father's first name.
    Somali,
    /// Hmong names (clan surnames: Vang, Xiong).
    Hmong,
    /// South Asian names.
    SouthAsian,
}

/// Every heritage with its weight in the district's population.
pub(crate) const HERITAGES: [(Heritage, u32); 6] = [
    (Heritage::Anglo, 46),
    (Heritage::Hispanic, 22),
    (Heritage::Somali, 10),
    (Heritage::Hmong, 9),
    (Heritage::Vietnamese, 8),
    (Heritage::SouthAsian, 5),
];

/// The name lists of one heritage.
pub(crate) struct NameSet {
    pub female: &'static [&'static str],
    pub male: &'static [&'static str],
    pub female_middle: &'static [&'static str],
    pub male_middle: &'static [&'static str],
    pub last: &'static [&'static str],
    /// The language spoken at home when it is not English.
    pub language: &'static str,
}

const ANGLO: NameSet = NameSet {
    female: &[
        "Emma",
        "Olivia",
        "Ava",
        "Harper",
        "Madison",
        "Abigail",
        "Elizabeth",
        "Katherine",
        "Margaret",
        "Jennifer",
        "Jessica",
        "Ashley",
        "Brianna",
        "Aaliyah",
        "Imani",
        "Zoe",
        "Chloe",
        "Grace",
        "Hannah",
        "Rebecca",
        "Samantha",
        "Victoria",
        "Destiny",
        "Kayla",
        "Nevaeh",
        "Rachel",
        "Amanda",
        "Sarah",
        "Megan",
        "Patricia",
    ],
    male: &[
        "James",
        "William",
        "Robert",
        "Michael",
        "Christopher",
        "Daniel",
        "Matthew",
        "Joseph",
        "Benjamin",
        "Alexander",
        "Jacob",
        "Ethan",
        "Noah",
        "Liam",
        "Jayden",
        "Malik",
        "DeShawn",
        "Andrew",
        "Thomas",
        "Nicholas",
        "Jonathan",
        "Anthony",
        "Tyrone",
        "Marcus",
        "Samuel",
        "Richard",
        "Steven",
        "Kevin",
        "Brandon",
        "Timothy",
    ],
    female_middle: &["Marie", "Lynn", "Grace", "Ann", "Elizabeth", "Rose", "Jean", "Nicole", "Renee", "Michelle"],
    male_middle: &["James", "Lee", "Michael", "Allen", "Ray", "Thomas", "Edward", "Joseph", "Wayne", "Scott"],
    last: &[
        "Smith",
        "Johnson",
        "Williams",
        "Brown",
        "Jones",
        "Miller",
        "Davis",
        "Anderson",
        "Wilson",
        "Taylor",
        "Thomas",
        "Moore",
        "Jackson",
        "Martin",
        "Thompson",
        "White",
        "Harris",
        "Clark",
        "Lewis",
        "Robinson",
        "Walker",
        "Peterson",
        "Olson",
        "Larson",
        "Nelson",
        "Carlson",
        "Pritchett",
        "O'Brien",
        "McAllister",
        "Schmidt",
        "Kowalski",
        "Washington",
        "Bergstrom",
        "Lindqvist",
        "Hanson",
        "Swenson",
        "St. Clair",
        "Dubois",
    ],
    language: "English",
};

const HISPANIC: NameSet = NameSet {
    female: &[
        "María",
        "Sofía",
        "Valentina",
        "Camila",
        "Guadalupe",
        "Ximena",
        "Lucía",
        "Daniela",
        "Isabella",
        "Jimena",
        "Natalia",
        "Ana",
        "Mariana",
        "Fernanda",
        "Andrea",
        "Gabriela",
        "Yesenia",
        "Rocío",
        "Itzel",
        "Araceli",
    ],
    male: &[
        "José",
        "Juan",
        "Luis",
        "Carlos",
        "Miguel",
        "Alejandro",
        "Diego",
        "Mateo",
        "Santiago",
        "Jesús",
        "Francisco",
        "Ángel",
        "Emiliano",
        "Javier",
        "Ricardo",
        "Eduardo",
        "Fernando",
        "Iván",
        "Óscar",
        "Roberto",
    ],
    female_middle: &["Guadalupe", "Isabel", "Elena", "del Carmen", "Sofía", "Fernanda", "Inés", "Paola"],
    male_middle: &["Luis", "Antonio", "Manuel", "José", "Ángel", "Alberto", "Andrés", "Tomás"],
    last: &[
        "García",
        "Hernández",
        "López",
        "Martínez",
        "Rodríguez",
        "González",
        "Pérez",
        "Sánchez",
        "Ramírez",
        "Torres",
        "Flores",
        "Rivera",
        "Gómez",
        "Díaz",
        "Delgado",
        "Morales",
        "Castillo",
        "Ortiz",
        "Vargas",
        "Ruiz",
        "Mendoza",
        "Chávez",
        "Reyes",
        "Guzmán",
        "Ibarra",
        "Muñoz",
        "Peña",
        "Salazar",
    ],
    language: "Spanish",
};

const VIETNAMESE: NameSet = NameSet {
    female: &[
        "Linh", "Mai", "Thảo", "Hương", "Ngọc", "Anh", "Trang", "Vy", "Hạnh", "Thu", "Quỳnh", "Nhi", "Hà", "Phương",
    ],
    male: &[
        "Minh", "Huy", "Khoa", "Long", "Bảo", "Duy", "Tuấn", "Phúc", "Nam", "Quang", "Đức", "Hiếu", "Khang", "Việt",
    ],
    female_middle: &["Thị", "Ngọc", "Thanh", "Bích", "Kim"],
    male_middle: &["Văn", "Minh", "Quốc", "Hữu", "Đình"],
    last: &[
        "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Nguyen", "Tran", "Le",
        "Pham", "Vu", "Dang",
    ],
    language: "Vietnamese",
};

const SOMALI: NameSet = NameSet {
    female: &[
        "Hodan", "Faduma", "Ayaan", "Sahra", "Ifrah", "Hibaaq", "Ubah", "Nimco", "Amina", "Hawa", "Ikran", "Filsan",
        "Deeqa", "Sagal", "Nasra", "Hamdi",
    ],
    male: &[
        "Abdi",
        "Mohamed",
        "Abdirahman",
        "Hamza",
        "Ahmed",
        "Yusuf",
        "Liban",
        "Mahad",
        "Omar",
        "Abdullahi",
        "Ismail",
        "Bashir",
        "Abdirizak",
        "Farhan",
        "Guled",
        "Mustafa",
    ],
    female_middle: &["Abdi", "Hassan", "Ali", "Omar"],
    male_middle: &["Abdi", "Hassan", "Ali", "Omar"],
    last: &[
        "Hassan",
        "Mohamed",
        "Abdi",
        "Warsame",
        "Farah",
        "Ali",
        "Osman",
        "Jama",
        "Abdullahi",
        "Yusuf",
        "Aden",
        "Hussein",
        "Ahmed",
        "Ibrahim",
        "Egal",
        "Dahir",
        "Nur",
        "Mohamud",
    ],
    language: "Somali",
};

const HMONG: NameSet = NameSet {
    female: &["Mai", "Pa", "Choua", "Youa", "Nou", "Kia", "Bao", "Houa", "Der", "Zoua", "Maiyia", "Pakou", "Yer", "Ka"],
    male: &["Tou", "Pao", "Xeng", "Chue", "Koua", "Neng", "Fue", "Chong", "Teng", "Nhia", "Xay", "Kou", "Tong", "Yee"],
    female_middle: &["Yer", "Nou", "Kia"],
    male_middle: &["Tou", "Pao", "Neng"],
    last: &["Vang", "Xiong", "Yang", "Thao", "Lee", "Lor", "Her", "Moua", "Vue", "Khang", "Hang", "Lo", "Cha", "Chang"],
    language: "Hmong",
};

const SOUTH_ASIAN: NameSet = NameSet {
    female: &["Priya", "Ananya", "Diya", "Aisha", "Kavya", "Saanvi", "Meera", "Riya", "Anjali", "Nisha"],
    male: &["Arjun", "Rohan", "Aarav", "Vikram", "Rahul", "Ishaan", "Sanjay", "Karthik", "Dev", "Amit"],
    female_middle: &["Devi", "Kumari", "Rani"],
    male_middle: &["Kumar", "Raj", "Prasad"],
    last: &["Patel", "Shah", "Reddy", "Singh", "Kumar", "Iyer", "Chatterjee", "Gupta", "Rao", "Desai", "Nair"],
    language: "Telugu",
};

/// The name lists of a heritage.
pub(crate) fn names(h: Heritage) -> &'static NameSet {
    match h {
        Heritage::Anglo => &ANGLO,
        Heritage::Hispanic => &HISPANIC,
        Heritage::Vietnamese => &VIETNAMESE,
        Heritage::Somali => &SOMALI,
        Heritage::Hmong => &HMONG,
        Heritage::SouthAsian => &SOUTH_ASIAN,
    }
}

/// A random heritage, by population weight.
pub(crate) fn heritage(rng: &mut Rng) -> Heritage {
    HERITAGES[rng.weighted(&HERITAGES.map(|(_, w)| w))].0
}

/// A first name of the heritage for a person of `gender` ("M", "F"; "X"
/// draws from either list).
pub(crate) fn first_name(rng: &mut Rng, h: Heritage, gender: &str) -> &'static str {
    let n = names(h);
    match gender {
        "F" => rng.choose(n.female),
        "M" => rng.choose(n.male),
        _ if rng.percent(50) => rng.choose(n.female),
        _ => rng.choose(n.male),
    }
}

/// A middle name of the heritage.
pub(crate) fn middle_name(rng: &mut Rng, h: Heritage, gender: &str) -> &'static str {
    let n = names(h);
    if gender == "F" {
        rng.choose(n.female_middle)
    } else {
        rng.choose(n.male_middle)
    }
}

/// A surname of the heritage.
pub(crate) fn last_name(rng: &mut Rng, h: Heritage) -> &'static str {
    rng.choose(names(h).last)
}

/// Nicknames people use for a formal first name (empty if none is common).
pub(crate) fn nicknames(formal: &str) -> &'static [&'static str] {
    match formal {
        "Robert" => &["Bobby", "Bob", "Rob"],
        "Roberto" => &["Beto"],
        "William" => &["Will", "Billy", "Bill"],
        "Elizabeth" => &["Liz", "Beth", "Eliza"],
        "Katherine" => &["Kate", "Katie", "Kathy"],
        "Margaret" => &["Maggie", "Meg", "Peggy"],
        "Michael" => &["Mike", "Mikey"],
        "Christopher" => &["Chris"],
        "Daniel" => &["Dan", "Danny"],
        "Matthew" => &["Matt"],
        "Joseph" => &["Joe", "Joey"],
        "Benjamin" => &["Ben", "Benny"],
        "Alexander" => &["Alex", "Xander"],
        "Jacob" => &["Jake"],
        "Nicholas" => &["Nick"],
        "Andrew" => &["Andy", "Drew"],
        "Thomas" => &["Tom", "Tommy"],
        "James" => &["Jim", "Jimmy", "Jamie"],
        "Jennifer" => &["Jen", "Jenny"],
        "Jessica" => &["Jess"],
        "Rebecca" => &["Becky", "Becca"],
        "Abigail" => &["Abby"],
        "Samantha" => &["Sam"],
        "Samuel" => &["Sam"],
        "Victoria" => &["Tori"],
        "Patricia" => &["Patty", "Trish"],
        "Jonathan" => &["Jon"],
        "Anthony" => &["Tony"],
        "Richard" => &["Rick", "Rich"],
        "Steven" => &["Steve"],
        "Timothy" => &["Tim"],
        "Amanda" => &["Mandy"],
        "Alejandro" => &["Alex"],
        "Francisco" => &["Paco", "Frank"],
        "José" => &["Pepe"],
        "Guadalupe" => &["Lupe"],
        "Jesús" => &["Chuy"],
        "Santiago" => &["Santi"],
        "Valentina" => &["Vale"],
        "Eduardo" => &["Lalo"],
        "Fernando" => &["Nando"],
        "Mohamed" => &["Mo"],
        "Abdirahman" => &["Abdi"],
        "Abdullahi" => &["Abdi"],
        "Mustafa" => &["Moose"],
        _ => &[],
    }
}

/// Folds a name to lower-case ASCII letters and digits (José -> jose,
/// Nguyễn -> nguyen, O'Brien -> obrien), for email addresses and usernames.
pub(crate) fn ascii_key(s: &str) -> String {
    s.chars().filter_map(fold_char).filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

/// A name without its accents, as people type it on a US keyboard
/// (José -> Jose, Nguyễn -> Nguyen); other characters unchanged.
pub(crate) fn strip_accents(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii() {
                return c;
            }
            match fold_char(c) {
                Some(f) if c.is_uppercase() => f.to_ascii_uppercase(),
                Some(f) => f,
                None => c,
            }
        })
        .collect()
}

/// The ASCII letter behind an accented Latin letter (lower-case), the
/// character itself if ASCII, or `None`.
fn fold_char(c: char) -> Option<char> {
    if c.is_ascii() {
        return Some(c);
    }
    let lower = c.to_lowercase().next().unwrap_or(c);
    let folded = match lower {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ă' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' | 'ĩ' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ơ' => 'o',
        'ú' | 'ù' | 'û' | 'ü' | 'ũ' | 'ư' => 'u',
        'ñ' => 'n',
        'ç' => 'c',
        'đ' => 'd',
        'ý' => 'y',
        // Latin Extended Additional: Vietnamese letters with two marks.
        '\u{1EA0}'..='\u{1EB7}' => 'a',
        '\u{1EB8}'..='\u{1EC7}' => 'e',
        '\u{1EC8}'..='\u{1ECB}' => 'i',
        '\u{1ECC}'..='\u{1EE3}' => 'o',
        '\u{1EE4}'..='\u{1EF1}' => 'u',
        '\u{1EF2}'..='\u{1EF9}' => 'y',
        _ => return None,
    };
    Some(folded)
}

/// Street names (without the house number and suffix).
pub(crate) const STREETS: &[&str] = &[
    "Maple",
    "Oak",
    "Larpenteur",
    "Como",
    "Payne",
    "Arcade",
    "Rice",
    "White Bear",
    "Hazelwood",
    "Edgerton",
    "Frost",
    "Cope",
    "Jackson",
    "Prosperity",
    "Birch",
    "Cedar",
    "Summit",
    "Lexington",
    "Dale",
    "Hamline",
    "Minnehaha",
    "Maryland",
    "Stillwater",
    "Sextant",
    "Gervais",
    "Demont",
    "Kohlman",
    "Beam",
    "Ripley",
    "Lake",
    "Elm",
    "Willow",
    "Pine",
    "Sunset",
    "Highland",
    "Ferndale",
    "Geranium",
    "Ivy",
    "Jessamine",
    "Orchard",
    "Roselawn",
    "Skillman",
];

/// Street suffixes as abbreviated in PowerSchool, with the word families type.
pub(crate) const SUFFIXES: &[(&str, &str)] = &[
    ("St", "Street"),
    ("Ave", "Avenue"),
    ("Rd", "Road"),
    ("Ln", "Lane"),
    ("Dr", "Drive"),
    ("Ct", "Court"),
    ("Blvd", "Boulevard"),
    ("Pkwy", "Parkway"),
    ("Cir", "Circle"),
    ("Way", "Way"),
];

/// A city of the district's area.
pub(crate) struct City {
    pub name: &'static str,
    pub state: &'static str,
    pub zips: &'static [&'static str],
}

/// The district's cities (Minnesota suburbs east of Saint Paul).
pub(crate) const CITIES: &[City] = &[
    City { name: "Maplewood", state: "MN", zips: &["55109", "55117", "55119"] },
    City { name: "Roseville", state: "MN", zips: &["55113"] },
    City { name: "North St. Paul", state: "MN", zips: &["55109"] },
    City { name: "Oakdale", state: "MN", zips: &["55128"] },
    City { name: "Little Canada", state: "MN", zips: &["55117"] },
    City { name: "Vadnais Heights", state: "MN", zips: &["55127"] },
    City { name: "Saint Paul", state: "MN", zips: &["55106", "55119", "55130"] },
    City { name: "White Bear Lake", state: "MN", zips: &["55110"] },
];

/// Cities farther away, where some parents who live apart from their
/// children have their homes.
pub(crate) const FAR_CITIES: &[City] = &[
    City { name: "Hudson", state: "WI", zips: &["54016"] },
    City { name: "River Falls", state: "WI", zips: &["54022"] },
    City { name: "Minneapolis", state: "MN", zips: &["55407", "55408", "55454"] },
    City { name: "Rochester", state: "MN", zips: &["55901"] },
    City { name: "Fargo", state: "ND", zips: &["58102"] },
    City { name: "Des Moines", state: "IA", zips: &["50310"] },
];

/// Stems of school names.
pub(crate) const SCHOOL_STEMS: &[&str] = &[
    "Lincoln",
    "Roosevelt",
    "Cedar Park",
    "Harmony",
    "Prairie View",
    "Riverview",
    "Lakeside",
    "Carver",
    "Eagle Point",
    "Weaver",
    "Skyview",
    "Castle",
    "Webster",
    "Mississippi Creative Arts",
    "Gladstone",
    "Beaver Lake",
    "Oak Hill",
    "Washington",
    "Jefferson",
    "Hidden Valley",
    "Maple Grove",
    "Pine Hollow",
    "Willow Lane",
    "Stonebridge",
];

/// Free email domains.
pub(crate) const EMAIL_DOMAINS: [(&str, u32); 7] = [
    ("gmail.com", 55),
    ("yahoo.com", 15),
    ("hotmail.com", 10),
    ("outlook.com", 8),
    ("icloud.com", 7),
    ("comcast.net", 4),
    ("aol.com", 1),
];

/// Employers' email domains (fictional companies).
pub(crate) const WORK_DOMAINS: &[&str] = &[
    "contoso.com",
    "fabrikam.com",
    "northwindtraders.com",
    "adventure-works.com",
    "wingtiptoys.com",
    "tailspintoys.com",
    "woodgrovebank.com",
    "lucernepublishing.com",
    "margiestravel.com",
    "fourthcoffee.com",
];

/// Allergies as school nurses record them.
pub(crate) const ALLERGIES: &[&str] = &[
    "Peanuts",
    "Tree nuts",
    "Peanuts; tree nuts",
    "Shellfish",
    "Penicillin",
    "Bee stings",
    "Dairy",
    "Gluten (celiac)",
    "Latex",
    "Eggs",
    "Seasonal (pollen)",
];

/// Schools students came from before enrolling in the district.
pub(crate) const PREVIOUS_SCHOOLS: &[&str] = &[
    "Saint Paul Public Schools",
    "Minneapolis Public Schools",
    "Mounds View Public Schools",
    "White Bear Lake Area Schools",
    "Hmong College Prep Academy",
    "Twin Cities Academy",
    "Homeschool",
    "Chicago Public Schools (IL)",
    "Des Moines Public Schools (IA)",
    "Fargo Public Schools (ND)",
    "Escuela Primaria Benito Juárez (Mexico)",
    "Nairobi International School (Kenya)",
    "Saint Peter Claver School",
];

/// Preschools kindergartners came from.
pub(crate) const PRESCHOOLS: &[&str] = &[
    "Little Sprouts Preschool",
    "ECFE Maplewood",
    "Head Start - Oakdale",
    "Bright Horizons Roseville",
    "Kinder Academy",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_name_folds_to_ascii() {
        for (h, _) in HERITAGES {
            let n = names(h);
            for name in n.female.iter().chain(n.male).chain(n.female_middle).chain(n.male_middle).chain(n.last) {
                let key = ascii_key(name);
                assert!(!key.is_empty(), "{name}");
                let stripped = strip_accents(name);
                assert!(stripped.is_ascii(), "{name} -> {stripped}");
            }
        }
        assert_eq!(ascii_key("Nguyễn"), "nguyen");
        assert_eq!(ascii_key("O'Brien"), "obrien");
        assert_eq!(strip_accents("José Ángel Đặng"), "Jose Angel Dang");
    }
}
