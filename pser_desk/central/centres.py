"""Centres known to the reference central service.

A centre code is ``<district prefix>-<4 digits>`` (``LHR-0042``). Centres created with
``central token new --centre CODE --name ...`` are stored; any other code with a known
district prefix gets a generated name and the district's first tehsil.
"""

from __future__ import annotations

from dataclasses import dataclass

# district prefix -> (district, first tehsil), from shared/data/reference/punjab_admin.json
DISTRICTS: dict[str, tuple[str, str]] = {
    "LHR": ("Lahore", "Lahore City"),
    "KSR": ("Kasur", "Kasur"),
    "NKS": ("Nankana Sahib", "Nankana Sahib"),
    "SKP": ("Sheikhupura", "Sheikhupura"),
    "GRW": ("Gujranwala", "Gujranwala City"),
    "NRW": ("Narowal", "Narowal"),
    "SKT": ("Sialkot", "Sialkot"),
    "GRT": ("Gujrat", "Gujrat"),
    "HFZ": ("Hafizabad", "Hafizabad"),
    "MBD": ("Mandi Bahauddin", "Mandi Bahauddin"),
    "WZD": ("Wazirabad", "Wazirabad"),
    "RWP": ("Rawalpindi", "Rawalpindi"),
    "ATK": ("Attock", "Attock"),
    "CKW": ("Chakwal", "Chakwal"),
    "JLM": ("Jhelum", "Jhelum"),
    "MRE": ("Murree", "Murree"),
    "TLG": ("Talagang", "Talagang"),
    "SGD": ("Sargodha", "Sargodha"),
    "BKR": ("Bhakkar", "Bhakkar"),
    "KSB": ("Khushab", "Khushab"),
    "MWI": ("Mianwali", "Mianwali"),
    "FSD": ("Faisalabad", "Faisalabad City"),
    "CNT": ("Chiniot", "Chiniot"),
    "JHG": ("Jhang", "Jhang"),
    "TTS": ("Toba Tek Singh", "Toba Tek Singh"),
    "MUL": ("Multan", "Multan City"),
    "KHW": ("Khanewal", "Khanewal"),
    "LDN": ("Lodhran", "Lodhran"),
    "VHR": ("Vehari", "Vehari"),
    "SWL": ("Sahiwal", "Sahiwal"),
    "OKR": ("Okara", "Okara"),
    "PPT": ("Pakpattan", "Pakpattan"),
    "DGK": ("Dera Ghazi Khan", "Dera Ghazi Khan"),
    "LYH": ("Layyah", "Layyah"),
    "MZG": ("Muzaffargarh", "Muzaffargarh"),
    "RJP": ("Rajanpur", "Rajanpur"),
    "TNS": ("Taunsa", "Taunsa"),
    "KAD": ("Kot Addu", "Kot Addu"),
    "BWP": ("Bahawalpur", "Bahawalpur City"),
    "BWN": ("Bahawalnagar", "Bahawalnagar"),
    "RYK": ("Rahim Yar Khan", "Rahim Yar Khan"),
}


@dataclass(frozen=True)
class Centre:
    code: str
    name: str
    district: str
    tehsil: str

    def as_json(self) -> dict[str, str]:
        return {
            "code": self.code,
            "name": self.name,
            "district": self.district,
            "tehsil": self.tehsil,
        }


def default_centre(code: str) -> Centre | None:
    """The generated centre for *code*, or None when its district prefix is unknown."""
    prefix, _, number = code.partition("-")
    known = DISTRICTS.get(prefix)
    if known is None or not (len(number) == 4 and number.isdigit()):
        return None
    district, tehsil = known
    return Centre(
        code=code,
        name=f"PSER Registration Centre {district} {number}",
        district=district,
        tehsil=tehsil,
    )
