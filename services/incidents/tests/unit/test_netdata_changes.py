from incidents.domain.netdata import ChangeMode, Kind, Registration, change_registrations

NET1 = Registration(Kind.NETWORK, "192.0.2.0/24")
NET2 = Registration(Kind.NETWORK, "2001:db8::/32")
ASN = Registration(Kind.ASN, "AS64500")


def test_replace_makes_the_upload_the_new_set_and_reports_both_sides():
    change = change_registrations({NET1, NET2}, {NET2, ASN}, ChangeMode.REPLACE)
    assert (change.new, change.added, change.removed) == ({NET2, ASN}, {ASN}, {NET1})


def test_add_keeps_what_was_registered():
    change = change_registrations({NET1}, {NET1, ASN}, ChangeMode.ADD)
    assert (change.new, change.added, change.removed) == ({NET1, ASN}, {ASN}, set())


def test_remove_takes_values_away_and_names_those_that_were_not_registered():
    change = change_registrations({NET1, NET2}, {NET2, ASN}, ChangeMode.REMOVE)
    assert (change.new, change.removed, change.not_found) == ({NET1}, {NET2}, {ASN})
    assert change.added == set()


def test_an_upload_equal_to_the_register_changes_nothing():
    assert change_registrations({NET1}, {NET1}, ChangeMode.REPLACE).is_empty
