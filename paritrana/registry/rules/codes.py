"""Closed vocabularies of the registry (pure data; no Django)."""

from __future__ import annotations

# Jamsostek programmes: JKK, JKM (PP 44/2015), JHT (PP 46/2015), JP (PP 45/2015), JKP (PP 37/2021).
PROGRAMMES: tuple[str, ...] = ("JKK", "JKM", "JHT", "JP", "JKP")

# Default programmes per segment. PU: JKK, JKM, JHT, JP (PP 44/2015, 46/2015, 45/2015; JKP follows
# JHT+JP membership, PP 37/2021 Pasal 4). BPU: JKK and JKM, JHT optional (star.grid.id [S]);
# JP is not open to BPU (PP 45/2015). JAKON and PMI: JKK and JKM (PP 44/2015; Permenaker 4/2023).
DEFAULT_PROGRAMMES: dict[str, list[str]] = {
    "PU": ["JKK", "JKM", "JHT", "JP", "JKP"],
    "BPU": ["JKK", "JKM"],
    "JAKON": ["JKK", "JKM"],
    "PMI": ["JKK", "JKM"],
}

# Who the membership is for; drawn from Inpres 2/2021 follow-up (scenarios.md S1, S4, S5).
MEMBERSHIP_TAGS: dict[str, str] = {
    "non_asn": "Non-ASN",
    "ppnpn": "PPNPN",
    "village_apparatus": "Aparatur desa",
    "rt_rw": "Ketua RT/RW",
    "election_organizer": "Penyelenggara pemilu",
    "bumd": "Pegawai BUMD",
    "vulnerable": "Pekerja rentan",
    "kur_recipient": "Penerima KUR",
    "prakerja": "Penerima Kartu Prakerja",
    "fisher": "Nelayan",
    "farmer": "Petani",
    "trader": "Pedagang",
    "driver": "Pengemudi",
    "tagana": "Taruna Siaga Bencana",
    "village_facilitator": "Pendamping desa",
}

# KBLI 2020 sections (BPS).
SECTORS: dict[str, str] = {
    "A": "Pertanian, kehutanan dan perikanan",
    "B": "Pertambangan dan penggalian",
    "C": "Industri pengolahan",
    "D": "Pengadaan listrik dan gas",
    "E": "Pengadaan air, pengelolaan sampah",
    "F": "Konstruksi",
    "G": "Perdagangan besar dan eceran",
    "H": "Pengangkutan dan pergudangan",
    "I": "Penyediaan akomodasi dan makan minum",
    "J": "Informasi dan komunikasi",
    "K": "Jasa keuangan dan asuransi",
    "L": "Real estat",
    "M": "Jasa profesional, ilmiah dan teknis",
    "N": "Jasa persewaan dan penunjang usaha",
    "O": "Administrasi pemerintahan dan jaminan sosial wajib",
    "P": "Jasa pendidikan",
    "Q": "Jasa kesehatan dan kegiatan sosial",
    "R": "Kesenian, hiburan dan rekreasi",
    "S": "Kegiatan jasa lainnya",
    "T": "Jasa perorangan yang melayani rumah tangga",
    "U": "Kegiatan badan internasional",
}
