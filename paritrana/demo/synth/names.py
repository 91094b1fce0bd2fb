"""Name pools for synthetic people: common Indonesian given names by sex and by regional tradition.

Lists of common names, not of people. Region keys are province codes; a pool applies to the
provinces listed for it and the general pools fill the rest (data-sources.md § Names).
"""

from __future__ import annotations

GENERAL_MALE = (
    "Agus Ahmad Budi Joko Slamet Bambang Eko Hadi Heru Iwan Rudi Sigit Teguh Wahyu Yusuf Dedi Andi "
    "Arif Bayu Dimas Fajar Hendra Ilham Irfan Rizky Adi Aditya Taufik Rahmat Ridwan Yogi Dwi Tri Imam "
    "Fauzi Hasan Ibrahim Ismail Yunus Faisal Fikri Gilang Hafiz Reza Rizal Syahrul Zainal Anton Ari "
    "Danang Galih Hanif Lukman Nanang Sugeng Supriyadi Sutrisno Suparman Sukirman Wawan Yanto Arya"
).split()
GENERAL_FEMALE = (
    "Siti Sri Dewi Ani Rina Rini Ratna Yuni Yulia Fitri Lina Maya Nia Novi Nur Indah Putri Ayu Wulan "
    "Lestari Endah Diah Desi Dina Fatimah Hana Ika Irma Linda Marlina Nina Rosita Tuti Umi Widya Yanti "
    "Aisyah Aminah Annisa Anisa Nurul Salma Zahra Kartini Sulastri Sundari Suparmi Sumarni Ningsih "
    "Puspita Rahma Rahmawati Sari Wahyuni Handayani Susanti Yuliana Eka Mega Citra Intan Kurnia"
).split()
GENERAL_FAMILY = (
    "Santoso Wijaya Saputra Pratama Hidayat Setiawan Kurniawan Gunawan Hartono Wibowo Prasetyo Nugroho "
    "Purnomo Permana Ramadhan Firmansyah Hakim Rahman Susanto Irawan Sanjaya Effendi Iskandar Hermawan "
    "Darmawan Ardiansyah Pangestu Abdullah Mulyadi Haryanto Siswanto Sugiarto Kusuma Utomo Widodo"
).split()
# Female family-style second names (Javanese -wati/-ningsih endings are usual for women).
GENERAL_FAMILY_FEMALE = (
    "Rahmawati Kurniawati Wulandari Safitri Anggraini Puspitasari Novitasari Handayani Wahyuni "
    "Susilowati Lestari Pertiwi Maharani Ramadhani Fitriani Oktaviani Septiani Yulianti Sulistyowati"
).split()

# More given names and family-style names, so that a registry of tens of millions holds names as
# varied as Indonesia's: one word for many older people, two or three for the young (Muhammad
# Rizky Pratama, Putri Ayu Lestari). With the pools above alone, 10,000,000 synthetic persons held
# only 14,019 distinct names, 713 holders each on average, which no real registry looks like.
MORE_MALE = (
    "Abdul Akbar Aldi Alfian Alif Andika Angga Ardi Arief Aris Bagas Bima Candra Dani Doni Edi Erwin "
    "Fadli Fahmi Farhan Ferdi Firman Gani Guntur Hamid Hamzah Harun Herman Idris Indra Iqbal Irwan "
    "Jaka Jefri Johan Kholil Lutfi Mahmud Malik Maulana Mukhtar Mulyono Nasrul Novan Oki Putra Rafi "
    "Raka Rama Rasyid Rendi Riko Rio Roni Said Salman Samsul Sandi Satria Sofyan Subagyo Sulaiman "
    "Syaiful Syamsul Toni Tono Totok Udin Umar Usman Wahid Wisnu Yoga Yudi Zaki Zulfan Dodi Feri Heri "
    "Jumadi Kasno Karyadi Marsono Mujiono Parman Rohmat Sarno Sukardi Sumarno Tukiman Warsito Rizki "
    "Aldo Alvin Bintang Dafa Damar Dirga Elang Fachri Galang Haris Ikhsan Kemal Naufal Rangga Yusril"
).split()
MORE_FEMALE = (
    "Nabila Aulia Salsabila Amelia Anggun Tiara Adinda Alya Anggita Aprilia Bella Cahya Dara Della "
    "Dinda Elsa Erna Evi Fani Fadila Farah Gita Hesti Ira Jihan Kiki Laras Lia Melati Mutiara Nadia "
    "Nanda Oktavia Puspa Ratih Reni Rika Risma Sinta Suci Tari Tika Vina Wati Yeni Zakiah Asih Endang "
    "Juwariyah Katini Lasmi Murni Painem Ponirah Rukmini Sarinah Sumiati Suminah Surti Tumini Winarsih "
    "Rohmah Hartini Kusmiati Halimah Khadijah Maryam Nuraini Rohani Yati Zulaikha Anjani Aurel Bunga "
    "Dwi Febby Hilda Kirana Larasati Mawar Nayla Rara Sekar Tasya Zaskia Melani Okta Ratna Yunita"
).split()
MORE_FAMILY = (
    "Saputro Hidayatullah Rachman Syahputra Aditama Wicaksono Nugraha Suryadi Wahyudi Sudrajat Syahrir "
    "Fauzan Rizaldi Adinata Budiman Cahyadi Fadillah Gunadi Hamdani Hardiyanto Hendrawan Jatmiko "
    "Lesmana Mahendra Nurdin Pranoto Rahardjo Saifullah Setiadi Sulistyo Suryanto Triyono Wardana "
    "Yulianto Zulkifli Aditya Anggara Baskoro Hutomo Maulana Perdana Prakoso Prayoga Putra Raharjo "
    "Ramadhani Santika Sasongko Subekti Sutanto Wiguna Wirawan Yudhistira"
).split()
MORE_FAMILY_FEMALE = (
    "Amalia Apriliani Azzahra Cahyani Damayanti Febriani Hapsari Indriani Kartika Kusumawati Melinda "
    "Nurjanah Oktaviana Pratiwi Purwanti Ramadhanti Rosalina Safira Setyowati Triana Utami Wardani "
    "Widiastuti Yuniarti Anggraeni Fitriyani Hidayati Khoirunnisa Mardiana Permatasari Rahayu"
).split()
# A first word of faith that many Muslim names begin with (written in the registry in full; the
# short forms are what lists and banks write: data-sources.md § Names).
MALE_LEADS = ("Muhammad", "Muhammad", "Muhammad", "Ahmad", "Abdul")
FEMALE_LEADS = ("Siti", "Siti", "Nur", "Nurul")

SUNDANESE_MALE = "Asep Dadang Cecep Encep Ujang Jajang Yayan Aep Dede Tatang Engkos Otong Ruslan Ayi Dadan".split()
SUNDANESE_FEMALE = "Euis Iis Dedeh Enok Popon Nunung Yuyun Yeyen Neneng Imas Cucu Ai Lilis Tati".split()
SUNDANESE_FAMILY = "Sukmana Permana Suryana Kartaatmaja Hidayat Supriatna Mulyana Rustandi Sopian".split()

BATAK_MALE = "Togar Parulian Marihot Binsar Hotman Sahat Tumpal Jonggi Maruli Poltak Daniel Samuel Robert".split()
BATAK_FEMALE = "Rotua Tiurma Romauli Lasma Dameria Sondang Butet Rugun Friska Yohana Maria Rosmawati".split()
BATAK_MARGA = (
    "Siregar Nasution Harahap Lubis Simanjuntak Sitorus Hutapea Pardede Panjaitan Situmorang Sinaga "
    "Tambunan Manurung Sihombing Simbolon Hutagalung Napitupulu Pasaribu Sembiring Ginting Tarigan Purba "
    "Saragih Damanik Hasibuan Batubara Gultom Sianturi Simamora Marpaung"
).split()

BALINESE_ORDER_MALE = "Wayan Putu Gede Made Kadek Nyoman Komang Ketut".split()
BALINESE_ORDER_FEMALE = "Wayan Putu Luh Made Kadek Nyoman Komang Ketut".split()
BALINESE_GIVEN = "Suarta Sudarma Wirawan Artawan Sukadana Budiasa Mertayasa Ariani Suastini Sriasih Dewi Astuti".split()

MINANG_MALE = "Afrizal Yulizar Zulkarnain Syafril Erizal Novrizal Hendri Jasman Darmawi Asrul".split()
MINANG_FEMALE = "Yusnimar Nurhayati Ernawati Rosnelly Yuliarni Desmawati Fitrianti Elvi Yelni".split()

BUGIS_MALE = "Andi Baso Muhlis Syamsuddin Haeruddin Sukri Amiruddin Hasanuddin Rusdi Alimuddin".split()
BUGIS_FEMALE = "Andi Besse Hasnawati Nurhaedah Sitti Hasmiah Rahmatia Nurhayati Hasriani".split()

ACEH_MALE = "Teuku Muhammad Zulfikar Munawar Khairul Razali Mukhlis Fadhil Husaini Azhari".split()
ACEH_FEMALE = "Cut Nurul Zahratul Rahmah Khairiah Raudhah Syarifah Mulyani Safrina".split()

BANJAR_DAYAK_MALE = "Anang Rusdiansyah Jumberi Yansen Markus Kristian Abdul Rahmadi Gusti Hairullah Sabran".split()
BANJAR_DAYAK_FEMALE = "Galuh Aluh Norhayati Hairiah Maria Yuliana Masnah Rusmini Salasiah Lusiana".split()

EASTERN_MALE = "Yohanes Petrus Paulus Markus Yakobus Frans Agustinus Daniel Yosep Elias Benyamin Simon".split()
EASTERN_FEMALE = "Maria Yohana Magdalena Theresia Agustina Marta Elisabeth Debora Ruth Selfina Yuliana".split()
EASTERN_FAMILY = "Wenda Kogoya Tabuni Murib Wonda Rumbiak Mandowen Kambu Lokollo Pattinama Tuhumury Latuconsina".split()

# (province prefixes, male given, female given, family names or None, chance of a family name)
REGIONAL_POOLS: list[tuple[tuple[str, ...], list[str], list[str], list[str] | None, float]] = [
    (("32", "36"), SUNDANESE_MALE, SUNDANESE_FEMALE, SUNDANESE_FAMILY, 0.35),
    (("12",), BATAK_MALE, BATAK_FEMALE, BATAK_MARGA, 0.95),
    (("13",), MINANG_MALE, MINANG_FEMALE, None, 0.0),
    (("73", "76"), BUGIS_MALE, BUGIS_FEMALE, None, 0.0),
    (("11",), ACEH_MALE, ACEH_FEMALE, None, 0.0),
    (("61", "62", "63", "64", "65"), BANJAR_DAYAK_MALE, BANJAR_DAYAK_FEMALE, None, 0.0),
    (
        ("81", "82", "91", "92", "93", "94", "95", "96", "53", "71"),
        EASTERN_MALE,
        EASTERN_FEMALE,
        EASTERN_FAMILY,
        0.7,
    ),
]

PREFIX_TITLES = ("H.", "Hj.", "Dr.", "dr.", "Ir.", "Drs.", "Dra.")
SUFFIX_TITLES = ("S.Pd.", "S.E.", "S.H.", "S.Kom.", "S.T.", "S.Sos.", "M.M.", "A.Md.")

STREETS = (
    "Merdeka",
    "Sudirman",
    "Diponegoro",
    "Ahmad Yani",
    "Gajah Mada",
    "Pahlawan",
    "Pemuda",
    "Kartini",
    "Imam Bonjol",
    "Hasanuddin",
    "Sisingamangaraja",
    "Pattimura",
    "Cendana",
    "Melati",
    "Mawar",
    "Kenanga",
    "Anggrek",
    "Flamboyan",
    "Poros Desa",
    "Pelita",
    "Bhayangkara",
)
COMPANY_WORDS = (
    "Sinar Maju Jaya Abadi Sentosa Makmur Karya Mandiri Nusantara Bumi Sejahtera Mitra Utama Prima Cahaya "
    "Samudra Borneo Mahakam Khatulistiwa Indah Perkasa Lestari Gemilang Sukses Agung Harapan Baru Bersama"
).split()
