package main

// chanless24Mutations hold the candidate that pins nothing across lines
// (issue 26's last limit): Paid and Total printed as their channels' sums,
// measured by TestSummedTotalsCost, not in force.
var chanless24Mutations = register([]mutation{
	{
		Name:     "chanless24/total-own-draw",
		Why:      "the summed candidate's Total would take its own draw again: a third noisy look at the channels' bookings, which is what the searching reader pins with, and the measured cost would be of another rule",
		File:     "internal/channels/summedlines.go",
		Old:      "\tprinted[nch+1][c].setReleased(total)\n",
		New:      "\tprinted[nch+1][c].setReleased(lines[nch+1].window(s.from, s.to))\n",
		Packages: []string{"./internal/channels"},
		Run:      "TestSummedTotalsCost",
	},
})
