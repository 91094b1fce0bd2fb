"""Where each of the 38 provinces sits on the tile-grid map (row, column): west to east, north to
south, one tile each, so that a small province weighs as much on the map as a large one."""

TILES: dict[str, tuple[int, int]] = {
    "11": (0, 0), "65": (0, 7), "71": (0, 10), "82": (0, 12),
    "12": (1, 1), "21": (1, 4), "61": (1, 5), "64": (1, 7), "75": (1, 10),
    "13": (2, 1), "14": (2, 2), "62": (2, 6), "63": (2, 7), "76": (2, 9), "72": (2, 10), "81": (2, 12),
    "96": (2, 13), "92": (2, 14),
    "17": (3, 2), "15": (3, 3), "19": (3, 4), "73": (3, 9), "74": (3, 10), "94": (3, 14), "91": (3, 15),
    "16": (4, 3), "18": (4, 4), "95": (4, 15),
    "36": (5, 4), "31": (5, 5), "32": (5, 6), "33": (5, 7), "35": (5, 8), "93": (5, 15),
    "34": (6, 7), "51": (6, 9), "52": (6, 10), "53": (6, 11),
}  # fmt: skip

# The short names the provinces go by in Indonesian writing (a tile holds six or seven letters).
SHORT_NAMES: dict[str, str] = {
    "11": "Aceh", "12": "Sumut", "13": "Sumbar", "14": "Riau", "15": "Jambi", "16": "Sumsel",
    "17": "Bengkulu", "18": "Lampung", "19": "Babel", "21": "Kepri", "31": "Jakarta", "32": "Jabar",
    "33": "Jateng", "34": "DIY", "35": "Jatim", "36": "Banten", "51": "Bali", "52": "NTB", "53": "NTT",
    "61": "Kalbar", "62": "Kalteng", "63": "Kalsel", "64": "Kaltim", "65": "Kaltara", "71": "Sulut",
    "72": "Sulteng", "73": "Sulsel", "74": "Sultra", "75": "Gtlo", "76": "Sulbar", "81": "Maluku",
    "82": "Malut", "91": "Papua", "92": "Pabar", "93": "Pasel", "94": "Pateng", "95": "Papeg", "96": "PBD",
}  # fmt: skip
