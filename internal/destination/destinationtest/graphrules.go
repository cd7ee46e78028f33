package destinationtest

import (
	"encoding/json"
	"slices"
)

// Rules of Graph.checkEvent about what an event says of the person and
// the law it falls under, each with its source.

// checkLDU: data_processing_options_country "Current accepted values are
// 1, for the United States of America, or 0, to request that we geolocate
// that event", _state "1000, for California, or 0" (server-event
// parameters as public integrations quote them; Meta's
// data-processing-options page, M-DPO, contract M19). That Meta refuses
// other values, with code 100 and no subcode, is our reading.
func checkLDU(ev map[string]any) fault {
	num := func(k string) (int64, bool) {
		v, present := ev[k]
		if !present {
			return 0, true
		}
		n, ok := v.(json.Number)
		if !ok {
			return -1, false
		}
		i, err := n.Int64()
		return i, err == nil
	}
	country, okC := num("data_processing_options_country")
	state, okS := num("data_processing_options_state")
	switch {
	case !okC || country != 0 && country != 1:
		return bad("data_processing_options_country must be 1 (the United States) or 0")
	case !okS || state != 0 && state != 1000:
		return bad("data_processing_options_state must be 1000 (California) or 0")
	case state != 0 && country == 0:
		return bad("data_processing_options_state needs data_processing_options_country 1")
	}
	return fault{}
}

// weakUserData reports whether user_data's keys all lie within one of the
// combinations Meta's "Baseline Requirements for Matching" names invalid
// (M18): ct + country + st + zp + ge + client_user_agent, db +
// client_user_agent, fn + ge, ln + ge, or a subset of one.
func weakUserData(ud map[string]any) bool {
	for _, combo := range [...][]string{
		{"ct", "country", "st", "zp", "ge", "client_user_agent"},
		{"db", "client_user_agent"},
		{"fn", "ge"},
		{"ln", "ge"},
	} {
		within := true
		for k := range ud {
			if !slices.Contains(combo, k) {
				within = false
				break
			}
		}
		if within {
			return true
		}
	}
	return false
}
