package adjacency

import "sync"

type Graph struct {
	Graph         map[string][]string
	Name          string
	AverageDegree float64
}

// Graphs exports the adjacency graphs by name.
//
// Patched for hashgate (see third_party/zxcvbn/PATCHES.md): upstream's
// Graphs is a map built in package initialisation from four map literals
// (36 KB, 241 allocations, about 1.5 M instructions), which every program
// that links the package pays; hashgate reads them in one estimate a run
// at most. They are built on the first call, from the same literals, and
// kept.
var Graphs = sync.OnceValue(func() map[string]*Graph {
	graphs := make(map[string]*Graph)
	initGraph(graphs, "qwerty", adjacencyGraphQwerty())
	initGraph(graphs, "dvorak", adjacencyGraphDvorak())
	initGraph(graphs, "keypad", adjacencyGraphKeypad())
	initGraph(graphs, "mac_keypad", adjacencyGraphMacKeypad())
	return graphs
})

func initGraph(graphs map[string]*Graph, name string, data map[string][]string) {
	g := &Graph{
		Name:          name,
		Graph:         data,
		AverageDegree: calculateAvgDegree(data),
	}
	graphs[name] = g
}

func calculateAvgDegree(g map[string][]string) float64 {
	var avg float64
	for _, value := range g {
		for _, chars := range value {
			if chars != "" {
				avg += float64(1)
			}
		}

	}

	return avg / float64(len(g))
}
