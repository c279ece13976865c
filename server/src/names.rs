//! Name parts for synthetic applicants and enterprises: common Khmer names with their usual
//! Latin spelling. Generated people are fictional.

/// (Khmer, Latin)
pub type NamePart = (&'static str, &'static str);

pub const FAMILY_NAMES: &[NamePart] = &[
    ("ចាន់", "Chan"),
    ("សុខ", "Sok"),
    ("គីម", "Kim"),
    ("ហេង", "Heng"),
    ("លី", "Ly"),
    ("មាស", "Meas"),
    ("ង៉ែត", "Nget"),
    ("សៅ", "Sao"),
    ("កែវ", "Keo"),
    ("ជា", "Chea"),
    ("ពេជ្រ", "Pich"),
    ("ប្រាក់", "Prak"),
    ("អ៊ុក", "Ouk"),
    ("សេង", "Seng"),
    ("ផាន", "Phan"),
    ("លឹម", "Lim"),
    ("ទេព", "Tep"),
    ("យឹម", "Yim"),
    ("សាយ", "Say"),
    ("នួន", "Nuon"),
];

pub const MALE_NAMES: &[NamePart] = &[
    ("ដារ៉ា", "Dara"),
    ("វុទ្ធី", "Vuthy"),
    ("សុផល", "Sophal"),
    ("រិទ្ធី", "Rithy"),
    ("សុខា", "Sokha"),
    ("វណ្ណៈ", "Vannak"),
    ("ប៊ុនធឿន", "Bunthoeun"),
    ("សំណាង", "Samnang"),
    ("ពិសិដ្ឋ", "Piseth"),
    ("សុវណ្ណ", "Sovann"),
    ("វិចិត្រ", "Vichet"),
    ("សុភ័ក្រ", "Sopheak"),
];

pub const FEMALE_NAMES: &[NamePart] = &[
    ("ស្រីមុំ", "Sreymom"),
    ("ចន្ធី", "Chanthy"),
    ("សុភា", "Sophea"),
    ("បុប្ផា", "Bopha"),
    ("ស្រីល័ក្ខ", "Sreyleak"),
    ("កញ្ញា", "Kanha"),
    ("ម្លិះ", "Malis"),
    ("រចនា", "Rachana"),
    ("សុគន្ធា", "Sokunthea"),
    ("លក្ខិណា", "Leakhena"),
    ("ដាលីន", "Dalin"),
    ("ពិសី", "Pisey"),
];

pub const ENTERPRISE_NAMES: &[NamePart] = &[
    ("អង្គរ", "Angkor"),
    ("មេគង្គ", "Mekong"),
    ("ទន្លេសាប", "Tonle Sap"),
    ("សុវណ្ណភូមិ", "Sovannaphum"),
    ("បាយ័ន", "Bayon"),
    ("អប្សរា", "Apsara"),
    ("ភ្នំគូលែន", "Phnom Kulen"),
    ("កោះកុង", "Koh Kong"),
    ("ព្រះវិហារ", "Preah Vihear"),
    ("ឫទ្ធី", "Rithy"),
];

pub const ENTERPRISE_KINDS: &[NamePart] = &[
    ("ពាណិជ្ជកម្ម", "Trading"),
    ("សំណង់", "Construction"),
    ("កសិផល", "Agro"),
    ("ដឹកជញ្ជូន", "Logistics"),
    ("ទេសចរណ៍", "Travel"),
    ("សិប្បកម្ម", "Handicraft"),
];
