//! The embedded word lists of both generators, each written once:
//! personal names by heritage, nicknames and other spellings of given
//! names, the syllables of rarer surnames, streets, cities, school names
//! and the like, plus the text helpers that build on them (ASCII folding
//! for email addresses, accents dropped as typed on a US keyboard).
//!
//! The demo district draws uniformly from a heritage's common lists
//! (`female`, `male`, `female_middle`, `male_middle`, `last`; a seed's
//! district depends on their order and content, so new names go into the
//! `more_*` lists); the labelled district draws the common lists and the
//! rarer `more_*` after them by Zipf rank, and surnames from a
//! syllable-built tail so that a large district has the long tail real
//! ones have.

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

/// Every heritage with its share of the population, in percent: in the
/// demo district, and in the labelled district (the mix the accuracy
/// harness has always drawn, so that its figures stay comparable).
pub(crate) const HERITAGES: [(Heritage, u32, u32); 6] = [
    (Heritage::Anglo, 46, 50),
    (Heritage::Hispanic, 22, 22),
    (Heritage::Somali, 10, 8),
    (Heritage::Hmong, 9, 7),
    (Heritage::Vietnamese, 8, 7),
    (Heritage::SouthAsian, 5, 6),
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
    /// Rarer first names (after `female` / `male` by rank).
    pub more_female: &'static [&'static str],
    pub more_male: &'static [&'static str],
    /// Middle names beyond `female_middle` and `male_middle`.
    pub more_middle: &'static [&'static str],
    /// Rarer surnames (after `last` by rank).
    pub more_last: &'static [&'static str],
    /// Percent of surnames drawn from the syllable-built tail instead.
    pub tail_percent: u32,
    /// Percent of persons with two surnames (`García López`, `Smith-Jones`).
    pub compound_percent: u32,
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
    more_female: &[
        "Melissa",
        "Michelle",
        "Emily",
        "Stephanie",
        "Nicole",
        "Heather",
        "Amy",
        "Laura",
        "Lauren",
        "Christina",
        "Angela",
        "Kimberly",
        "Lisa",
        "Mary",
        "Susan",
        "Karen",
        "Nancy",
        "Deborah",
        "Danielle",
        "Brittany",
        "Courtney",
        "Kelly",
        "Erin",
        "Tiffany",
        "Crystal",
        "Andrea",
        "Monica",
        "Veronica",
        "Kathleen",
        "Catherine",
        "Christine",
        "Allison",
        "Dorothy",
        "Shannon",
        "Jacqueline",
        "Theresa",
        "Cynthia",
        "Tamika",
        "Latoya",
        "Ebony",
        "Keisha",
        "Joanna",
        "Alexandra",
        "Valerie",
        "Gwendolyn",
        "Marjorie",
        "Frances",
        "Priscilla",
        "Winifred",
        "Harriet",
        "Josephine",
    ],
    more_male: &[
        "Joshua",
        "David",
        "John",
        "Ryan",
        "Jason",
        "Justin",
        "Brian",
        "Eric",
        "Jeffrey",
        "Charles",
        "Mark",
        "Aaron",
        "Adam",
        "Patrick",
        "Kenneth",
        "Gregory",
        "Jeremy",
        "Nathan",
        "Zachary",
        "Jamal",
        "Terrence",
        "Darnell",
        "Andre",
        "Cornelius",
        "Reginald",
        "Lamar",
        "Edward",
        "Raymond",
        "Douglas",
        "Peter",
        "Walter",
        "Harold",
        "Frederick",
        "Theodore",
        "Lawrence",
        "Franklin",
        "Ezekiel",
        "Bartholomew",
        "Gideon",
        "Silas",
        "Abraham",
        "Nathaniel",
        "Jedediah",
        "Cyrus",
        "Leopold",
        "Ambrose",
    ],
    more_middle: &["Louise", "Paul", "Dawn", "Mae", "Jo", "Kay"],
    more_last: &[
        "Lee",
        "Young",
        "Allen",
        "King",
        "Wright",
        "Scott",
        "Hill",
        "Green",
        "Adams",
        "Baker",
        "Carter",
        "Mitchell",
        "Roberts",
        "Turner",
        "Phillips",
        "Campbell",
        "Parker",
        "Evans",
        "Edwards",
        "Collins",
        "Stewart",
        "Morris",
        "Murphy",
        "Cook",
        "Rogers",
        "Morgan",
        "Cooper",
        "Reed",
        "Bailey",
        "Bell",
        "Kelly",
        "Howard",
        "Ward",
        "Cox",
        "Richardson",
        "Wood",
        "Watson",
        "Brooks",
        "Bennett",
        "Gray",
        "James",
        "Hughes",
        "Price",
        "Sanders",
        "Myers",
        "Long",
        "Ross",
        "Foster",
        "Powell",
        "Jenkins",
        "Perry",
        "Russell",
        "Sullivan",
        "Fisher",
        "Henderson",
        "Coleman",
        "Simmons",
        "Patterson",
        "Jordan",
        "Reynolds",
        "Hamilton",
        "Graham",
        "Wallace",
        "West",
        "Cole",
        "Hayes",
        "Bryant",
        "Gibson",
        "Ellis",
        "Stevens",
        "Murray",
        "Ford",
        "Marshall",
        "Owens",
        "McDonald",
        "Harrison",
        "Kennedy",
        "Wells",
        "Johansen",
        "Schultz",
        "Mueller",
        "Novak",
        "O'Connor",
        "McCarthy",
        "Van Dyke",
        "Vanderberg",
        "MacLeod",
        "Bjornstad",
        "Thorson",
        "Gustafson",
        "Halvorsen",
        "Pedersen",
        "Nowicki",
        "Jefferson",
        "Freeman",
    ],
    tail_percent: 72,
    compound_percent: 3,
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
    more_female: &[
        "Rosa",
        "Alejandra",
        "Adriana",
        "Veronica",
        "Leticia",
        "Patricia",
        "Claudia",
        "Margarita",
        "Elena",
        "Beatriz",
        "Consuelo",
        "Dolores",
        "Esperanza",
        "Juana",
        "Carmen",
        "Alicia",
        "Silvia",
        "Teresa",
        "Lorena",
        "Paola",
        "Brenda",
        "Karla",
        "Diana",
        "Josefina",
        "Marisol",
        "Graciela",
        "Luz",
        "Irma",
    ],
    more_male: &[
        "Antonio",
        "Jorge",
        "Pedro",
        "Manuel",
        "Sergio",
        "Raúl",
        "Héctor",
        "Arturo",
        "Rigoberto",
        "Ignacio",
        "Alberto",
        "Rafael",
        "Enrique",
        "Gerardo",
        "Marco",
        "Andrés",
        "Joaquín",
        "Tomás",
        "Gustavo",
        "Ramón",
        "Salvador",
        "Alfredo",
        "Hugo",
        "Julio",
        "Rubén",
    ],
    more_middle: &[],
    more_last: &[
        "Cruz",
        "Gutiérrez",
        "Ramos",
        "Jiménez",
        "Moreno",
        "Romero",
        "Herrera",
        "Medina",
        "Aguilar",
        "Vásquez",
        "Castro",
        "Núñez",
        "Estrada",
        "de la Cruz",
        "de León",
        "del Río",
        "Villanueva",
        "Zamora",
        "Cervantes",
        "Quintero",
        "Bautista",
        "Espinoza",
    ],
    tail_percent: 35,
    compound_percent: 14,
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
    more_female: &[
        "Lan", "Hoa", "Huyền", "Thúy", "Diệp", "Tâm", "Yến", "Nga", "Loan", "Hằng", "Dung", "Xuân", "Hồng", "Oanh",
        "Vân", "Châu", "Giang", "Khánh", "My", "Trinh",
    ],
    more_male: &[
        "Hùng", "Dũng", "Thắng", "Sơn", "Hải", "Trung", "Thành", "Hưng", "Tài", "Lộc", "Phong", "Vinh", "Cường",
        "Toàn", "Hoà", "Tiến", "Khôi", "An", "Kiên", "Thịnh",
    ],
    more_middle: &[],
    more_last: &["Vũ", "Hồ", "Ngô", "Dương", "Lý"],
    tail_percent: 0,
    compound_percent: 0,
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
    more_female: &[
        "Asha", "Khadra", "Maryan", "Halima", "Fardowsa", "Hinda", "Shukri", "Sadia", "Muna", "Naima", "Zamzam",
        "Idil", "Safiya", "Hodo", "Ladan", "Anisa", "Nafisa", "Rahma", "Warsan", "Kowsar", "Fowsia", "Samira",
        "Istahil", "Suad",
    ],
    more_male: &[
        "Hassan",
        "Ali",
        "Ibrahim",
        "Khalid",
        "Abdiwali",
        "Abdikarim",
        "Abdifatah",
        "Abdinasir",
        "Ayanle",
        "Burhan",
        "Dahir",
        "Faisal",
        "Hussein",
        "Jibril",
        "Mukhtar",
        "Nuur",
        "Osman",
        "Qasim",
        "Rashid",
        "Said",
        "Siyad",
        "Warsame",
        "Zakaria",
        "Mohamud",
    ],
    more_middle: &["Mohamed", "Ahmed", "Yusuf"],
    more_last: &["Omar", "Ismail", "Said", "Elmi", "Noor", "Guled", "Hirsi"],
    tail_percent: 10,
    compound_percent: 0,
};

const HMONG: NameSet = NameSet {
    female: &["Mai", "Pa", "Choua", "Youa", "Nou", "Kia", "Bao", "Houa", "Der", "Zoua", "Maiyia", "Pakou", "Yer", "Ka"],
    male: &["Tou", "Pao", "Xeng", "Chue", "Koua", "Neng", "Fue", "Chong", "Teng", "Nhia", "Xay", "Kou", "Tong", "Yee"],
    female_middle: &["Yer", "Nou", "Kia"],
    male_middle: &["Tou", "Pao", "Neng"],
    last: &["Vang", "Xiong", "Yang", "Thao", "Lee", "Lor", "Her", "Moua", "Vue", "Khang", "Hang", "Lo", "Cha", "Chang"],
    language: "Hmong",
    more_female: &[
        "Yia", "Xee", "Mee", "Nkauj", "Txiab", "Sheng", "Gao", "Lia", "Ia", "Kalia", "Mayhoua", "Chia", "Yeng",
        "Ntxhi", "Bee", "Dia", "Pahoua", "Shoua", "Tshua",
    ],
    more_male: &[
        "Vue", "Cheng", "Long", "Lue", "Xia", "Meng", "Boua", "Sai", "Ge", "Tswv", "Chai", "Nao", "Lou", "Kao", "Ying",
        "Chou", "Cher", "Txooj", "Blong",
    ],
    more_middle: &[],
    more_last: &["Kue", "Yang-Vang", "Ly", "Xiong-Lee"],
    tail_percent: 0,
    compound_percent: 0,
};

const SOUTH_ASIAN: NameSet = NameSet {
    female: &["Priya", "Ananya", "Diya", "Aisha", "Kavya", "Saanvi", "Meera", "Riya", "Anjali", "Nisha"],
    male: &["Arjun", "Rohan", "Aarav", "Vikram", "Rahul", "Ishaan", "Sanjay", "Karthik", "Dev", "Amit"],
    female_middle: &["Devi", "Kumari", "Rani"],
    male_middle: &["Kumar", "Raj", "Prasad"],
    last: &["Patel", "Shah", "Reddy", "Singh", "Kumar", "Iyer", "Chatterjee", "Gupta", "Rao", "Desai", "Nair"],
    language: "Telugu",
    more_female: &[
        "Lakshmi", "Pooja", "Shreya", "Aditi", "Neha", "Sneha", "Divya", "Swati", "Tanvi", "Ishita", "Nandini",
        "Radhika", "Sunita", "Geeta", "Asha", "Rekha", "Deepa", "Harini", "Keerthi", "Padma", "Shalini", "Vidya",
    ],
    more_male: &[
        "Suresh", "Ravi", "Aditya", "Akash", "Anand", "Ashok", "Deepak", "Ganesh", "Harish", "Kiran", "Manoj",
        "Naveen", "Nikhil", "Pranav", "Rajesh", "Sachin", "Srinivas", "Varun", "Vijay", "Vivek", "Yash", "Gaurav",
    ],
    more_middle: &[],
    more_last: &[
        "Sharma",
        "Mehta",
        "Joshi",
        "Banerjee",
        "Krishnan",
        "Pillai",
        "Menon",
        "Chaudhary",
        "Agarwal",
        "Bhat",
        "Kapoor",
    ],
    tail_percent: 25,
    compound_percent: 0,
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

/// A random heritage, by its share of the demo district.
pub(crate) fn heritage(rng: &mut Rng) -> Heritage {
    HERITAGES[rng.weighted(&HERITAGES.map(|(_, w, _)| w))].0
}

/// A random heritage, by its share of the labelled district.
pub(crate) fn labelled_heritage(rng: &mut Rng) -> Heritage {
    HERITAGES[rng.weighted(&HERITAGES.map(|(_, _, w)| w))].0
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

/// Nicknames people use for a formal first name: (name, nicknames), in
/// the order the demo draws them.
const NICKNAMES: &[(&str, &[&str])] = &[
    ("Robert", &["Bobby", "Bob", "Rob"]),
    ("Roberto", &["Beto"]),
    ("William", &["Will", "Billy", "Bill"]),
    ("Elizabeth", &["Liz", "Beth", "Eliza"]),
    ("Katherine", &["Kate", "Katie", "Kathy"]),
    ("Margaret", &["Maggie", "Meg", "Peggy"]),
    ("Michael", &["Mike", "Mikey"]),
    ("Christopher", &["Chris"]),
    ("Daniel", &["Dan", "Danny"]),
    ("Matthew", &["Matt"]),
    ("Joseph", &["Joe", "Joey"]),
    ("Benjamin", &["Ben", "Benny"]),
    ("Alexander", &["Alex", "Xander"]),
    ("Jacob", &["Jake"]),
    ("Nicholas", &["Nick"]),
    ("Andrew", &["Andy", "Drew"]),
    ("Thomas", &["Tom", "Tommy"]),
    ("James", &["Jim", "Jimmy", "Jamie"]),
    ("Jennifer", &["Jen", "Jenny"]),
    ("Jessica", &["Jess"]),
    ("Rebecca", &["Becky", "Becca"]),
    ("Abigail", &["Abby"]),
    ("Samantha", &["Sam"]),
    ("Samuel", &["Sam"]),
    ("Victoria", &["Tori"]),
    ("Patricia", &["Patty", "Trish"]),
    ("Jonathan", &["Jon"]),
    ("Anthony", &["Tony"]),
    ("Richard", &["Rick", "Rich"]),
    ("Steven", &["Steve"]),
    ("Timothy", &["Tim"]),
    ("Amanda", &["Mandy"]),
    ("Alejandro", &["Alex"]),
    ("Francisco", &["Paco", "Frank"]),
    ("José", &["Pepe"]),
    ("Guadalupe", &["Lupe"]),
    ("Jesús", &["Chuy"]),
    ("Santiago", &["Santi"]),
    ("Valentina", &["Vale"]),
    ("Eduardo", &["Lalo"]),
    ("Fernando", &["Nando"]),
    ("Mohamed", &["Mo"]),
    ("Abdirahman", &["Abdi"]),
    ("Abdullahi", &["Abdi"]),
    ("Mustafa", &["Moose"]),
];

/// Nicknames only the labelled district uses, beyond [`NICKNAMES`]:
/// hypocorisms of the Spanish given names as families write them on forms
/// (written apart from the matcher's table, `nicknames_es.csv`, and on
/// purpose not all in it: Ferchis, Clau, Magos, Checo, Pao), and nicknames
/// no table knows that are not the name's beginning (Bashir, Seng).
const MORE_NICKNAMES: &[(&str, &[&str])] = &[
    ("María", &["Mari", "Maru", "Mary"]),
    ("Guadalupe", &["Lupita"]),
    ("Rosa", &["Rosita", "Chayo"]),
    ("Sofía", &["Sofi"]),
    ("Camila", &["Cami"]),
    ("Daniela", &["Dani"]),
    ("Gabriela", &["Gaby", "Gabi"]),
    ("Fernanda", &["Fer", "Ferchis"]),
    ("Alejandra", &["Ale", "Jandra"]),
    ("Adriana", &["Adri"]),
    ("Veronica", &["Vero"]),
    ("Leticia", &["Lety", "Leti"]),
    ("Araceli", &["Chela"]),
    ("Rocío", &["Chío"]),
    ("Natalia", &["Naty"]),
    ("Patricia", &["Paty", "Pati"]),
    ("Claudia", &["Clau"]),
    ("Margarita", &["Magos", "Maggie"]),
    ("Beatriz", &["Bety", "Bea"]),
    ("Consuelo", &["Chelo"]),
    ("Dolores", &["Lola", "Lolis"]),
    ("Esperanza", &["Espe"]),
    ("Alicia", &["Licha"]),
    ("Silvia", &["Chivis"]),
    ("Teresa", &["Tere"]),
    ("Josefina", &["Chepina", "Fina", "Pepa"]),
    ("Graciela", &["Chela"]),
    ("Lorena", &["Lore"]),
    ("Paola", &["Pao"]),
    ("Luz", &["Lucha"]),
    ("José", &["Chepe"]),
    ("Juan", &["Juancho"]),
    ("Luis", &["Lucho", "Wicho"]),
    ("Jesús", &["Chucho"]),
    ("Miguel", &["Migue"]),
    ("Francisco", &["Pancho", "Kiko"]),
    ("Antonio", &["Toño", "Tony"]),
    ("Alejandro", &["Ale"]),
    ("Jorge", &["Coco"]),
    ("Manuel", &["Manolo", "Manny"]),
    ("Ricardo", &["Richie"]),
    ("Javier", &["Javi"]),
    ("Sergio", &["Checo"]),
    ("Santiago", &["Chago"]),
    ("Emiliano", &["Emi"]),
    ("Ignacio", &["Nacho"]),
    ("Alberto", &["Beto"]),
    ("Rafael", &["Rafa"]),
    ("Enrique", &["Kike", "Quique"]),
    ("Gerardo", &["Lalo", "Jerry"]),
    ("Joaquín", &["Quino"]),
    ("Gustavo", &["Tavo"]),
    ("Ramón", &["Moncho"]),
    ("Salvador", &["Chava"]),
    ("Arturo", &["Turi"]),
    ("Rigoberto", &["Rigo"]),
    ("Abdirahman", &["Bashir"]),
    ("Xeng", &["Seng"]),
    ("Pakou", &["Kou"]),
];

/// Nicknames people use for a formal first name (empty if none is common).
pub(crate) fn nicknames(formal: &str) -> &'static [&'static str] {
    NICKNAMES.iter().find(|(name, _)| *name == formal).map_or(&[], |(_, nicks)| nicks)
}

/// Whether `name` is one of the heritage's given names, accents and case
/// aside.
pub(crate) fn is_given_name(h: Heritage, name: &str) -> bool {
    let n = names(h);
    let key = ascii_key(name);
    [n.female, n.male, n.more_female, n.more_male].iter().flat_map(|list| list.iter()).any(|x| ascii_key(x) == key)
}

/// Every nickname of `name` either table has, accents and case aside
/// (`Jose` finds José's): [`NICKNAMES`] first, then [`MORE_NICKNAMES`].
pub(crate) fn all_nicknames(name: &str) -> Vec<&'static str> {
    let key = ascii_key(name);
    NICKNAMES
        .iter()
        .chain(MORE_NICKNAMES)
        .filter(|(formal, _)| ascii_key(formal) == key)
        .flat_map(|(_, nicks)| nicks.iter().copied())
        .collect()
}

/// Spellings of one given name that families and clerks both use (the
/// matcher has no such list: it grades spelling with Jaro-Winkler).
pub(crate) const SPELLINGS: &[&[&str]] = &[
    &["Mohammed", "Muhammad", "Mohamed", "Mohammad", "Muhammed", "Mohamad"],
    &["Mohamud", "Mahmoud", "Mahamud", "Mahmud"],
    &["Stephen", "Steven", "Stephan"],
    &["Catherine", "Katherine", "Kathryn", "Katharine", "Catharine", "Kathrine"],
    &["Jeffrey", "Geoffrey", "Jeffery"],
    &["Sophia", "Sofia", "Sofía"],
    &["Isabel", "Isabelle", "Isobel", "Izabel", "Ysabel"],
    &["Nicholas", "Nikolas", "Nicolas", "Nickolas"],
    &["Philip", "Phillip", "Filip"],
    &["Brian", "Bryan", "Brayan"],
    &["Caitlin", "Kaitlyn", "Katelyn", "Kaitlin", "Caitlyn"],
    &["Ashley", "Ashlee", "Ashleigh"],
    &["Jasmine", "Jazmin", "Jazmine", "Yasmin"],
    &["Jonathan", "Johnathan", "Jonathon"],
    &["Allison", "Alison", "Allyson"],
    &["Madeline", "Madeleine", "Madelyn", "Madalyn"],
    &["Shawn", "Sean", "Shaun"],
    &["Zachary", "Zachery", "Zackary"],
    &["Jocelyn", "Joselin", "Yoselin", "Joseline"],
    &["Giovanni", "Jovani", "Jovanny"],
    &["Yesenia", "Yessenia", "Llesenia"],
    &["Jesús", "Jesus", "Jesüs"],
    &["Fadumo", "Faadumo", "Fatuma", "Fatima"],
    &["Khadija", "Khadijo", "Hadiya"],
    &["Aisha", "Ayesha", "Aysha", "Ayisha"],
    &["Yusuf", "Yousef", "Youssef", "Yosef"],
    &["Hussein", "Husein", "Hussain", "Husain"],
    &["Abdirahman", "Abdurahman", "Abdulrahman", "Abdirahmaan"],
    &["Abdullahi", "Abdulahi", "Abdillahi"],
    &["Mai", "Mayy"],
    &["Xee", "Xe", "See"],
    &["Nhia", "Nyia"],
    &["Huong", "Hương", "Huang"],
    &["Nguyet", "Nguyệt", "Nguet"],
    &["Tuan", "Tuấn", "Toan"],
    &["Priya", "Preeya", "Pria"],
    &["Deepak", "Dipak", "Deepac"],
    &["Lakshmi", "Laxmi", "Lakshmy"],
    &["Aleksandr", "Alexander", "Aleksander", "Alexandr"],
    &["Dmitri", "Dmitry", "Dimitri"],
];

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

/// Beginnings of synthetic surnames.
const TAIL_HEADS: &[&str] = &[
    "Ash", "Black", "Brad", "Bran", "Brook", "Cald", "Carr", "Chad", "Crom", "Dal", "Dun", "Els", "Fair", "Fitz",
    "Gold", "Gran", "Hal", "Hart", "Haw", "Holl", "Kend", "Kirk", "Lang", "Lind", "Mart", "Mer", "Mont", "Nor", "Oak",
    "Pem", "Pres", "Rad", "Red", "Ros", "Rut", "Sand", "Shel", "Stan", "Stock", "Thorn", "Tre", "Wal", "Wes", "Whit",
    "Win", "Wolf", "Kowal", "Nowa", "Petr", "Ivan", "Sokol", "Brenn", "Gall", "Quin", "Bur", "Cas", "Mal", "Tor",
    "Ver", "Zel",
];

/// Middles of synthetic surnames (optional).
const TAIL_MIDS: &[&str] = &["er", "in", "ing", "el", "ow", "en", "ar", "ick", "or", "ett"];

/// Endings of synthetic surnames.
const TAIL_ENDS: &[&str] = &[
    "son", "sen", "ton", "ford", "field", "wood", "well", "ley", "by", "ham", "man", "more", "worth", "stead", "berg",
    "strom", "ski", "czyk", "enko", "ov", "ova", "ez", "es", "ini", "etti", "ard", "ault", "ier", "mann", "stein",
    "dale", "ridge", "brook", "shaw", "land", "burn", "wick", "cott", "ay", "ey",
];

/// The synthetic surname number `i` (of [`tail_size`]).
pub(crate) fn tail_name(i: usize) -> String {
    let (h, e) = (TAIL_HEADS.len(), TAIL_ENDS.len());
    let head = TAIL_HEADS[i % h];
    let rest = i / h;
    let end = TAIL_ENDS[rest % e];
    let mid = rest / e;
    if mid == 0 {
        format!("{head}{end}")
    } else {
        format!("{head}{}{end}", TAIL_MIDS[(mid - 1) % TAIL_MIDS.len()])
    }
}

/// How many distinct synthetic surnames there are.
pub(crate) fn tail_size() -> usize {
    TAIL_HEADS.len() * TAIL_ENDS.len() * (TAIL_MIDS.len() + 1)
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

/// More street names, which only the labelled district draws (after
/// [`STREETS`]).
pub(crate) const MORE_STREETS: &[&str] = &[
    "Hill",
    "River",
    "Park",
    "Main",
    "Church",
    "Mill",
    "Spring",
    "Ridge",
    "Prairie",
    "Grand",
    "Marshall",
    "Selby",
    "Lincoln",
    "Washington",
    "Jefferson",
    "Franklin",
    "Central",
    "University",
    "Snelling",
    "Victoria",
    "County Road B",
    "Cleveland",
    "Cretin",
    "Fairview",
    "Lyndale",
    "Hennepin",
    "Nicollet",
    "Bloomington",
    "Cedar Lake",
    "Penn",
    "Xerxes",
    "France",
    "Portland",
    "Chicago",
    "Cambridge",
    "Oxford",
    "Juno",
    "Randolph",
    "North Oaks",
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

/// More street suffixes, which only the labelled district draws (after
/// [`SUFFIXES`]).
pub(crate) const MORE_SUFFIXES: &[(&str, &str)] = &[("Pl", "Place")];

/// A city of the district's area.
#[derive(Debug, PartialEq, Eq)]
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
        let mut all: Vec<&str> = Vec::new();
        for (h, _, _) in HERITAGES {
            let n = names(h);
            for list in [n.female, n.male, n.female_middle, n.male_middle, n.last] {
                all.extend(list);
            }
            for list in [n.more_female, n.more_male, n.more_middle, n.more_last] {
                all.extend(list);
            }
        }
        for (name, nicks) in NICKNAMES.iter().chain(MORE_NICKNAMES) {
            all.push(name);
            all.extend(*nicks);
        }
        all.extend(SPELLINGS.iter().flat_map(|group| group.iter()));
        for name in all {
            let key = ascii_key(name);
            assert!(!key.is_empty(), "{name}");
            let stripped = strip_accents(name);
            assert!(stripped.is_ascii(), "{name} -> {stripped}");
        }
        assert_eq!(ascii_key("Nguyễn"), "nguyen");
        assert_eq!(ascii_key("O'Brien"), "obrien");
        assert_eq!(strip_accents("José Ángel Đặng"), "Jose Angel Dang");
    }

    #[test]
    fn no_list_holds_a_name_twice_and_the_rarer_lists_add_to_the_common() {
        let twice = |list: &[&str]| list.iter().enumerate().any(|(i, a)| list[..i].contains(a));
        for (h, _, _) in HERITAGES {
            let n = names(h);
            for (common, more) in [(n.female, n.more_female), (n.male, n.more_male), (n.last, n.more_last)] {
                let all = [common, more].concat();
                assert!(!twice(more) && !more.iter().any(|m| common.contains(m)), "{h:?}: {all:?}");
            }
            let middles = [n.female_middle, n.male_middle].concat();
            assert!(!n.more_middle.iter().any(|m| middles.contains(m) || twice(n.more_middle)), "{h:?}");
        }
        for (name, more) in MORE_NICKNAMES {
            assert!(!more.iter().any(|m| nicknames(name).contains(m)), "{name}: {more:?} repeats NICKNAMES");
        }
        assert_eq!(all_nicknames("Jose"), ["Pepe", "Chepe"]);
        assert!(is_given_name(Heritage::Hispanic, "JOSE") && !is_given_name(Heritage::Hispanic, "Robert"));
    }
}
