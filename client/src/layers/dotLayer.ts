// DotLayer: round dots of a fixed size in pixels, one GL point sprite per datum.
//
// Why not deck.gl's ScatterplotLayer: it draws every point as an instance of a four-vertex quad.
// A GPU runs instances in parallel, but a screen driven by software GL (SwiftShader: Chromium on a
// PC without a usable GPU, and our headless tests) pays a fixed cost per instance. Measured on the
// command centre at 1920×1080 with the 95,402 household points: ScatterplotLayer added ~1,800 ms
// to a frame, the same points as point sprites a few tens of ms. On a GPU both are cheap.
//
// What it gives up, deliberately: no picking, no strokes, no sizes in metres (dots stay the same
// number of pixels at every zoom, which is what a point-of-interest overlay wants), and a dot
// whose centre leaves the viewport disappears whole (GL clips points by their centre). Points
// are drawn in data order, so later data is drawn on top.
//
// Shaders follow deck.gl's own layers: the `project32` module projects (64-bit positions split
// into high and low parts for precision at street zoom), the `color` module applies the layer's
// opacity hooks, and the uniforms go in a uniform block as deck.gl 9 expects.
import { Layer, project32, color, type DefaultProps, type LayerProps, type Accessor, type Position, type Color, type UpdateParameters } from '@deck.gl/core';
import { Model } from '@luma.gl/engine';
import type { ShaderModule } from '@luma.gl/shadertools';

type DotUniformProps = { radiusScale: number; radiusMinPixels: number; radiusMaxPixels: number };

const uniformBlock = /* glsl */ `\
uniform dotUniforms {
  float radiusScale;
  float radiusMinPixels;
  float radiusMaxPixels;
} dot;
`;

const dotUniforms = {
  name: 'dot',
  vs: uniformBlock,
  fs: uniformBlock,
  uniformTypes: { radiusScale: 'f32', radiusMinPixels: 'f32', radiusMaxPixels: 'f32' },
} as const satisfies ShaderModule<DotUniformProps>;

/**
 * Room, in CSS pixels, left around each dot's radius for its antialiased edge: deck.gl's
 * smoothedge ramps over ±0.5 px (SMOOTH_EDGE_RADIUS), so half a pixel holds all of it. More is
 * fragments drawn only to be discarded; at city zoom, where dots are 1.5–2 px, a 1 px margin
 * made each sprite half as large again.
 */
const FRINGE = 0.5;

const vs = /* glsl */ `\
#version 300 es
#define SHADER_NAME dot-layer-vertex-shader

in vec3 positions;
in vec3 positions64Low;
in vec4 fillColors;
in float radii;

out vec4 vFillColor;
out float vRadius;

void main(void) {
  geometry.worldPosition = positions;
  geometry.pickingColor = vec3(0.0);
  vRadius = clamp(dot.radiusScale * radii, dot.radiusMinPixels, dot.radiusMaxPixels);
  gl_Position = project_position_to_clipspace(positions, positions64Low, vec3(0.0), geometry.position);
  DECKGL_FILTER_GL_POSITION(gl_Position, geometry);
  // gl_PointSize is in device pixels; the radius is in CSS pixels.
  gl_PointSize = 2.0 * (vRadius + ${FRINGE.toFixed(1)}) * project.devicePixelRatio;
  vFillColor = vec4(fillColors.rgb, fillColors.a * layer.opacity);
  DECKGL_FILTER_COLOR(vFillColor, geometry);
}
`;

const fs = /* glsl */ `\
#version 300 es
#define SHADER_NAME dot-layer-fragment-shader

precision highp float;

in vec4 vFillColor;
in float vRadius;

out vec4 fragColor;

void main(void) {
  // Distance from the dot's centre in CSS pixels (gl_PointCoord spans the sprite, 0 to 1).
  float dist = length(gl_PointCoord * 2.0 - 1.0) * (vRadius + ${FRINGE.toFixed(1)});
  float inside = smoothedge(dist, vRadius);
  if (inside == 0.0) {
    discard;
  }
  fragColor = vec4(vFillColor.rgb, vFillColor.a * inside);
  DECKGL_FILTER_COLOR(fragColor, geometry);
}
`;

type _DotLayerProps<D> = {
  getPosition?: Accessor<D, Position>;
  getFillColor?: Accessor<D, Color>;
  /** Radius in CSS pixels. */
  getRadius?: Accessor<D, number>;
  radiusScale?: number;
  radiusMinPixels?: number;
  radiusMaxPixels?: number;
};
export type DotLayerProps<D = unknown> = _DotLayerProps<D> & LayerProps;

const defaultProps: DefaultProps<DotLayerProps> = {
  getPosition: { type: 'accessor', value: (x: any) => x.position },
  getFillColor: { type: 'accessor', value: [0, 0, 0, 255] },
  getRadius: { type: 'accessor', value: 2 },
  radiusScale: { type: 'number', min: 0, value: 1 },
  radiusMinPixels: { type: 'number', min: 0, value: 0 },
  radiusMaxPixels: { type: 'number', min: 0, value: 60 },
};

export class DotLayer<D = unknown, ExtraProps extends {} = {}> extends Layer<ExtraProps & Required<_DotLayerProps<D>>> {
  static override layerName = 'DotLayer';
  static override defaultProps = defaultProps;

  declare state: { model?: Model };

  override getShaders() {
    return super.getShaders({ vs, fs, modules: [project32, color, dotUniforms] });
  }

  override initializeState(): void {
    // `add`, not `addInstanced`: one vertex per datum.
    this.getAttributeManager()!.add({
      positions: { size: 3, type: 'float64', fp64: this.use64bitPositions(), accessor: 'getPosition' },
      fillColors: { size: 4, type: 'unorm8', accessor: 'getFillColor', defaultValue: [0, 0, 0, 255] },
      radii: { size: 1, accessor: 'getRadius', defaultValue: 1 },
    });
  }

  override updateState(params: UpdateParameters<this>): void {
    super.updateState(params);
    if (params.changeFlags.extensionsChanged || !this.state.model) {
      this.state.model?.destroy();
      this.state.model = new Model(this.context.device, {
        ...this.getShaders(),
        id: this.props.id,
        bufferLayout: this.getAttributeManager()!.getBufferLayouts({ isInstanced: false }),
        topology: 'point-list',
        isInstanced: false,
      });
      this.getAttributeManager()!.invalidateAll();
    }
  }

  override draw(): void {
    const { radiusScale, radiusMinPixels, radiusMaxPixels } = this.props;
    const model = this.state.model!;
    model.shaderInputs.setProps({ dot: { radiusScale, radiusMinPixels, radiusMaxPixels } });
    model.setVertexCount(this.getNumInstances());
    model.draw(this.context.renderPass);
  }
}
